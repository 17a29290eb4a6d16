"""Generator and critic of the melody GAN (PyTorch 1.13; the generator exports to ONNX opset 17).

Generator (non-autoregressive, one pass for all 64 steps):
    noise [N,Z], condition [N,28]  (layout in common.py)
    inner  = condition without the key, with the range made key-relative (16 numbers)
    g      = MLP([noise, inner]) -> [N,G] broadcast to every step
    zs     = Linear(noise) -> [N,64,8]: a different projection of the same noise at every step, so
             the noise can change single notes and rhythms, not only the phrase as a whole
    pos    = positional features of (meter, bars) per step [N,64,27] (a constant table selected by
             the outer product of the meter and bars one-hots: bar position, metric level, bar
             index, last bar, inside-the-phrase flag, relative time)
    x      = Conv1x1([g, zs, pos, inner]) -> residual dilated Conv1d blocks (dilation 1,2,4,8,16,1)
    rel    = B*tanh(Conv1x1(x)/B) [N,64,51], B = 4: rest, hold, and 49 mode-normalised key-relative
             pitches; pitches outside the requested range are set to -30 (masked)
    logits = [rest, hold, rel pitches @ M(mode) @ S(key)] [N,64,39]
             M: 0/1 permutation of the mode (identity for major; for minor it swaps the scale degrees
             3<->b3, 6<->b6, 7<->b7 inside each octave), S: 0/1 transposition matrix of the key
    probabilities = softmax(logits) over the vocabulary
Key-relative pitch: q = midi - 36 - key. Mode-normalised: n = mode_map(q, mode), so a minor phrase's
minor 3rd is stored where a major phrase keeps its major 3rd, and both modes share one scale-degree
grammar (the major scale maps to natural minor; minor's raised 6th and 7th land on b6 and b7 of the
normalised grid). The map is its own inverse, so the same table normalises data and denormalises output.
So the key condition is exact (a transposition), the mode's scale is exact (a permutation), and range
compliance holds by construction; what is learned is everything else (contour, rhythm, which scale
degrees, how often the raised 6th and 7th appear in minor, difficulty, metre).
The critic works in the same normalised space: it sees the generator's normalised probabilities, or
real tokens as the most confident distribution the bounded, masked generator can produce (real_soft),
with the positional features and inner conditions per step, masks the steps past the phrase end, and
averages. Before its last downsampling it appends the batch's standard deviation per step (the
minibatch-stddev layer of Karras et al. 2018), so a batch of near-identical fakes is easy to spot.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common as C

Z_DIM = 32
LOGIT_BOUND = 4.0  # logits = B*tanh(raw/B): the softmax cannot saturate, so generator gradients keep flowing
POS_DIM = 16 + 4 + 4 + 1 + 1 + 1  # 27


def position_table():
    """[12, T_MAX*POS_DIM] float32: row = meter*3 + bars index."""
    tab = np.zeros((len(C.METERS), len(C.BARS), C.T_MAX, POS_DIM), dtype=np.float32)
    for mi, m in enumerate(C.METERS):
        spb, spbeat = C.STEPS_PER_BAR[m], C.STEPS_PER_BEAT[m]
        for bi, bars in enumerate(C.BARS):
            length = spb * bars
            for t in range(C.T_MAX):
                pib = t % spb
                bar = t // spb
                row = tab[mi, bi, t]
                row[min(pib, 15)] = 1
                if pib == 0:
                    lvl = 0
                elif pib % spbeat == 0:
                    lvl = 1
                elif pib % 2 == 0:
                    lvl = 2
                else:
                    lvl = 3
                row[16 + lvl] = 1
                row[20 + min(bar, 3)] = 1
                row[24] = 1.0 if (t < length and bar == bars - 1) else 0.0
                row[25] = 1.0 if t < length else 0.0
                row[26] = t / length if t < length else 1.0
    return tab.reshape(len(C.METERS) * len(C.BARS), C.T_MAX * POS_DIM)


class Positional(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("table", torch.from_numpy(position_table()))

    def forward(self, condition):
        meter = condition[:, 19:23]
        bars = condition[:, 23:26]
        mb = (meter.unsqueeze(2) * bars.unsqueeze(1)).reshape(-1, len(C.METERS) * len(C.BARS))
        return torch.matmul(mb, self.table).reshape(-1, C.T_MAX, POS_DIM)


class Block(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.c1 = nn.Conv1d(ch, ch, 3, padding=dilation, dilation=dilation)
        self.c2 = nn.Conv1d(ch, ch, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.leaky_relu(self.c1(F.leaky_relu(x, 0.2)), 0.2))


REL_PITCH = 49        # key-relative pitch grid: q = midi - 36 - key, q in 1..48 covers C3..C6 in every key
REL_VOCAB = 2 + REL_PITCH
INNER_COND = 2 + 5 + 4 + 3 + 2  # mode, difficulty, meter, bars, key-relative range (the key itself is not seen)
MASKED = -30.0        # logit of a pitch outside the requested range (probability ~1e-13)
STEP_NOISE = 8        # per-step noise channels projected from the noise vector


def shift_table():
    """[12, REL_PITCH*N_PITCH]: S[k, q, a] = 1 where absolute index a = q + k - 12 (midi = 48 + a)."""
    s = np.zeros((12, REL_PITCH, C.N_PITCH), dtype=np.float32)
    for k in range(12):
        for a in range(C.N_PITCH):
            s[k, a - k + 12, a] = 1
    return s.reshape(12, REL_PITCH * C.N_PITCH)


# Mode map on the key-relative pitch grid, its own inverse: degree swaps within each octave for minor.
MINOR_SWAP = {3: 4, 4: 3, 8: 9, 9: 8, 10: 11, 11: 10}


def mode_map_table():
    """[2, REL_PITCH] int64: MAP[mode, q] = the normalised index of key-relative pitch q (and back)."""
    t = np.tile(np.arange(REL_PITCH), (2, 1))
    for q in range(REL_PITCH):
        t[1, q] = 12 * (q // 12) + MINOR_SWAP.get(q % 12, q % 12)
    return t


def mode_matrix():
    """[2, REL_PITCH*REL_PITCH] float32: row m is the 0/1 permutation matrix of mode m."""
    t = mode_map_table()
    m = np.zeros((2, REL_PITCH, REL_PITCH), dtype=np.float32)
    for mode in range(2):
        m[mode, np.arange(REL_PITCH), t[mode]] = 1
    return m.reshape(2, REL_PITCH * REL_PITCH)


_MODES = torch.from_numpy(mode_matrix())
_MODE_MAP = torch.from_numpy(mode_map_table())


def split_condition(condition):
    """-> inner condition [N,16], key index [N,1], rel mask [N,REL_PITCH] (1 = outside the range),
    in the mode-normalised grid (the range is a set of actual pitches, so its mask is permuted too)."""
    key = condition[:, 0:12]
    kidx = torch.matmul(key, torch.arange(12, dtype=torch.float32).unsqueeze(1))  # [N,1]
    low = torch.clamp(condition[:, 26:27] * C.RANGE_SCALE + C.RANGE_CENTER, C.PITCH_LO, C.PITCH_HI)
    high = torch.clamp(condition[:, 27:28] * C.RANGE_SCALE + C.RANGE_CENTER, C.PITCH_LO, C.PITCH_HI)
    rlow, rhigh = low - 36 - kidx, high - 36 - kidx
    inner = torch.cat([condition[:, 12:26], (rlow - 24) / 12, (rhigh - 24) / 12], 1)
    q = torch.arange(REL_PITCH, dtype=torch.float32).unsqueeze(0)
    mask = ((q < rlow - 0.5) | (q > rhigh + 0.5)).float()
    perm = torch.matmul(condition[:, 12:14], _MODES).reshape(-1, REL_PITCH, REL_PITCH)
    mask = torch.matmul(perm, mask.unsqueeze(2)).squeeze(2)  # normalised n holds actual q = map(n)
    return inner, kidx, mask


def to_relative(tokens, key, mode):
    """Absolute tokens [N,T] int64, key [N] int64, mode [N] int64 -> mode-normalised key-relative
    tokens (rest/hold unchanged)."""
    rel = torch.where(tokens >= 2, tokens + 12 - key.unsqueeze(1), tokens)
    table = _MODE_MAP[mode]  # [N,REL_PITCH]
    mapped = torch.gather(table, 1, (rel - 2).clamp(min=0)) + 2
    return torch.where(rel >= 2, mapped, rel)


def real_soft(rel_tokens, mask):
    """Real key-relative tokens -> softmax(+B at the token, -B elsewhere, MASKED outside the range),
    the sharpest distribution the bounded, masked generator can produce."""
    onehot = F.one_hot(rel_tokens, REL_VOCAB).float()
    logits = LOGIT_BOUND * (2 * onehot - 1)
    full_mask = torch.cat([torch.zeros_like(mask[:, :2]), mask], 1).unsqueeze(1)
    logits = logits * (1 - full_mask) + MASKED * full_mask
    return torch.softmax(logits, dim=2)


class Generator(nn.Module):
    """Works in mode-normalised key-relative pitch space (transposition-equivariant by construction);
    the last steps map scale degrees to the requested mode and transpose to absolute MIDI with
    condition-selected 0/1 matrices, so the key and the mode's scale are exact."""

    def __init__(self, ch=96, g_dim=96, dilations=(1, 2, 4, 8, 16, 1), step_noise=STEP_NOISE):
        super().__init__()
        self.pos = Positional()
        self.register_buffer("shift", torch.from_numpy(shift_table()))
        self.mlp = nn.Sequential(nn.Linear(Z_DIM + INNER_COND, 256), nn.LeakyReLU(0.2), nn.Linear(256, g_dim))
        self.step_noise = step_noise
        self.zseq = nn.Linear(Z_DIM, C.T_MAX * step_noise)
        self.inp = nn.Conv1d(g_dim + step_noise + POS_DIM + INNER_COND, ch, 1)
        self.blocks = nn.Sequential(*[Block(ch, d) for d in dilations])
        self.out = nn.Conv1d(ch, REL_VOCAB, 1)

    def forward_relative(self, noise, condition):
        inner, _, mask = split_condition(condition)
        g = self.mlp(torch.cat([noise, inner], 1))
        pos = self.pos(condition)
        n = noise.shape[0]
        zs = self.zseq(noise).reshape(n, C.T_MAX, self.step_noise)
        seq = torch.cat([g.unsqueeze(1).expand(n, C.T_MAX, g.shape[1]), zs, pos,
                         inner.unsqueeze(1).expand(n, C.T_MAX, inner.shape[1])], 2)
        h = F.leaky_relu(self.blocks(self.inp(seq.transpose(1, 2))), 0.2)
        raw = self.out(h).transpose(1, 2)  # [N,T,REL_VOCAB]
        logits = LOGIT_BOUND * torch.tanh(raw / LOGIT_BOUND)
        full_mask = torch.cat([torch.zeros_like(mask[:, :2]), mask], 1).unsqueeze(1)
        logits = logits * (1 - full_mask) + MASKED * full_mask
        return logits, torch.softmax(logits, dim=2), mask

    def forward(self, noise, condition):
        rel, _, _ = self.forward_relative(noise, condition)
        perm = torch.matmul(condition[:, 12:14], _MODES).reshape(-1, REL_PITCH, REL_PITCH)
        m = torch.matmul(condition[:, 0:12], self.shift).reshape(-1, REL_PITCH, C.N_PITCH)
        pitch = torch.matmul(torch.matmul(rel[:, :, 2:], perm), m)  # [N,T,37]
        logits = torch.cat([rel[:, :, :2], pitch], 2)
        return logits, torch.softmax(logits, dim=2)


class Critic(nn.Module):
    """Conv critic that halves time twice (64 -> 32 -> 16 steps) to keep CPU training affordable."""

    def __init__(self, ch=64):
        super().__init__()
        self.pos = Positional()
        self.inp = nn.Conv1d(REL_VOCAB + POS_DIM + INNER_COND, ch, 1)
        self.b1 = Block(ch, 1)
        self.b2 = Block(ch, 2)
        self.down1 = nn.Conv1d(ch, 2 * ch, 4, stride=2, padding=1)
        self.b3 = Block(2 * ch, 2)
        self.down2 = nn.Conv1d(2 * ch + 1, 2 * ch, 4, stride=2, padding=1)
        self.b4 = Block(2 * ch, 1)
        self.out = nn.Linear(2 * ch, 1)

    def forward(self, x, condition, features=False):
        """x: key-relative distributions [N,T,REL_VOCAB]; condition: the full [N,28] vector.
        features=True also returns the pooled features [N,2ch] (for the generator's feature matching)."""
        inner, _, _ = split_condition(condition)
        pos = self.pos(condition)
        valid = pos[:, :, 25:26]
        n = x.shape[0]
        seq = torch.cat([x * valid, pos, inner.unsqueeze(1).expand(n, C.T_MAX, inner.shape[1])], 2)
        h = self.b2(self.b1(self.inp(seq.transpose(1, 2))))
        h = self.b3(self.down1(F.leaky_relu(h, 0.2)))
        h = F.leaky_relu(h, 0.2)
        # minibatch stddev: how much this batch varies at each step, averaged over channels
        sd = torch.sqrt(h.var(0, unbiased=False) + 1e-8).mean(0, keepdim=True)  # [1,32]
        h = torch.cat([h, sd.unsqueeze(0).expand(n, 1, sd.shape[1])], 1)
        h = self.b4(self.down2(h))
        h = F.leaky_relu(h, 0.2)  # [N,2ch,16]
        v = F.max_pool1d(valid.transpose(1, 2), 4)  # [N,1,16]: a 4-step block that holds phrase steps
        h = (h * v).sum(2) / v.sum(2)
        score = self.out(h).squeeze(1)
        return (score, h) if features else score


def n_params(m):
    return sum(p.numel() for p in m.parameters())
