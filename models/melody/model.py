"""Generator and critic of the melody GAN (PyTorch 1.13; the generator exports to ONNX opset 17).

Generator (non-autoregressive, one pass for all 64 steps):
    noise [N,Z], condition [N,28]  (layout in common.py)
    g      = MLP([noise, condition]) -> [N,G] broadcast to every step
    pos    = positional features of (meter, bars) per step [N,64,27] (a constant table selected by
             the outer product of the meter and bars one-hots: bar position, metric level, bar
             index, last bar, inside-the-phrase flag, relative time)
    x      = Conv1x1([g, pos, condition]) -> residual dilated Conv1d blocks (dilation 1,2,4,8,16,1)
    logits = Conv1x1(x) [N,64,39];   probabilities = softmax(logits) over the vocabulary
The critic sees one-hot real tokens or the generator's probabilities (relaxed outputs), with the same
positional features and conditions per step, masks the steps past the phrase end, and averages.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common as C

Z_DIM = 32
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


class Generator(nn.Module):
    def __init__(self, ch=96, g_dim=96, dilations=(1, 2, 4, 8, 16, 1)):
        super().__init__()
        self.pos = Positional()
        self.mlp = nn.Sequential(nn.Linear(Z_DIM + C.COND_DIM, 256), nn.LeakyReLU(0.2), nn.Linear(256, g_dim))
        self.inp = nn.Conv1d(g_dim + POS_DIM + C.COND_DIM, ch, 1)
        self.blocks = nn.Sequential(*[Block(ch, d) for d in dilations])
        self.out = nn.Conv1d(ch, C.VOCAB, 1)

    def forward(self, noise, condition):
        g = self.mlp(torch.cat([noise, condition], 1))
        pos = self.pos(condition)
        n = noise.shape[0]
        seq = torch.cat([g.unsqueeze(1).expand(n, C.T_MAX, g.shape[1]), pos,
                         condition.unsqueeze(1).expand(n, C.T_MAX, condition.shape[1])], 2)
        h = self.blocks(self.inp(seq.transpose(1, 2)))
        logits = F.leaky_relu(h, 0.2)
        logits = self.out(logits).transpose(1, 2)  # [N,T,V]
        return logits, torch.softmax(logits, dim=2)


class Critic(nn.Module):
    """Conv critic that halves time twice (64 -> 32 -> 16 steps) to keep CPU training affordable."""

    def __init__(self, ch=64):
        super().__init__()
        self.pos = Positional()
        self.inp = nn.Conv1d(C.VOCAB + POS_DIM + C.COND_DIM, ch, 1)
        self.b1 = Block(ch, 1)
        self.b2 = Block(ch, 2)
        self.down1 = nn.Conv1d(ch, 2 * ch, 4, stride=2, padding=1)
        self.b3 = Block(2 * ch, 2)
        self.down2 = nn.Conv1d(2 * ch, 2 * ch, 4, stride=2, padding=1)
        self.b4 = Block(2 * ch, 1)
        self.out = nn.Linear(2 * ch, 1)

    def forward(self, x, condition):
        pos = self.pos(condition)
        valid = pos[:, :, 25:26]
        n = x.shape[0]
        seq = torch.cat([x * valid, pos, condition.unsqueeze(1).expand(n, C.T_MAX, condition.shape[1])], 2)
        h = self.b2(self.b1(self.inp(seq.transpose(1, 2))))
        h = self.b3(self.down1(F.leaky_relu(h, 0.2)))
        h = self.b4(self.down2(F.leaky_relu(h, 0.2)))
        h = F.leaky_relu(h, 0.2)  # [N,2ch,16]
        v = F.max_pool1d(valid.transpose(1, 2), 4)  # [N,1,16]: a 4-step block that holds phrase steps
        h = (h * v).sum(2) / v.sum(2)
        return self.out(h).squeeze(1)


def n_params(m):
    return sum(p.numel() for p in m.parameters())
