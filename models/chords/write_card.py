#!/usr/bin/env python3
"""Write models/chord_classifier.card.md from models/reports/chord_classifier_report.json.

    .venv/bin/python models/chords/write_card.py      # re-render the card from the saved report

train.py calls write() at the end of a full run, so every number in the card comes from that run.
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CONTEXT_FRAMES, FEATURE_SETS, MODEL_NAME, MODELS, REPORTS, SEMITONE_FIELDS  # noqa: E402


def ms(d, k="accuracy"):
    v = d[k]
    return f"{v['mean']:.3f} ± {v['sd']:.3f}"


def pct(x):
    return "—" if x is None else f"{x:.3f}"


def table(rows, header):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# bench/accuracy/chord_benchmark.py on the unseen-program files, for the model file with this sha256 prefix
# (bench/RESULTS.md has every row); a retrained model gets "not yet measured" until the bench is re-run.
CLI_RECALL = {"model_sha256": "3346b73d",
              "rows": {"trained classifier": (0.930, 0.927, 0.881), "template baseline": (0.769, 0.769, 0.496)}}


def write(rep, path):
    onnx_path = os.path.join(os.path.dirname(path), f"{MODEL_NAME}.onnx")
    with open(onnx_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    best = rep["search"]["best"]
    fields = FEATURE_SETS[best["features"]]
    has_bass, has_extra, cqt = "bass_chroma_0" in fields, "rms_dbfs" in fields, fields == SEMITONE_FIELDS
    cv = rep["cv"]
    t = rep["timings"]
    golden_n = len(json.load(open(os.path.join(os.path.dirname(path), f"{MODEL_NAME}.golden.json")))["cases"])
    L = []
    A = L.append
    A(f"# Model card: {MODEL_NAME} (trained chord classifier, issue 6)\n")
    A("| | |\n|---|---|")
    A(f"| File | `models/{MODEL_NAME}.onnx` ({rep['export']['bytes']:,} bytes; sha256 `{sha[:8]}…{sha[-7:]}`), opset {rep['export']['opset']} |")
    A(f"| Labels | `models/{MODEL_NAME}.labels.json` (133 Harte labels) |")
    A(f"| Golden pair | `models/{MODEL_NAME}.golden.json` ({golden_n} cases, atol 1e-4; expected from PyTorch, checked with onnxruntime) |")
    A("| Data | `.venv/bin/python models/chords/make_dataset.py` (renders audio, runs `etude analyze features`) |")
    A(f"| Made by | `.venv/bin/python models/chords/train.py` (1 CPU thread, {t['total_s'] / 60:.1f} min on this machine) |")
    A("| Reports | `models/reports/chord_classifier_report.json`, `_learning_curves.png`, `_confusion.png`, `_occlusion.png` |")
    A("| Tests | `.venv/bin/python -m unittest discover -s tests/models -t .` (`test_chord_classifier.py`) |\n")
    A("## Task")
    A("Name the chord sounding in the last ~0.17 s of live audio: one of 132 chords (12 roots × maj, min, dim, "
      "aug, sus2, sus4, 7, maj7, min7, hdim7, dim7) or `N` (no chord: silence, noise, or a single note). "
      "It replaces the 24-triad template baseline on the Chords screen; the template model stays the fallback.\n")
    A("## Interface")
    A(f"- Input `frames`: float32 `[N, {CONTEXT_FRAMES * len(fields)}]` = the newest {CONTEXT_FRAMES} model frames "
      f"(oldest first) × {len(fields)} fields, frame-major: `input[n, t*{len(fields)} + f] = frame[t][FIELDS[f]]`, with")
    A(f"  FIELDS = `{', '.join(fields)}` — named fields of `web/worklet/feature-frame.js`, raw values as the DSP "
      "emits them" + (" (the scalar fields are standardised inside the graph)" if has_extra else "") + ". Model frames of "
      "`src/ml/chord_input.h`: every second FeatureFrame (even index in the analyser's stream) at the live hop "
      "(256 samples at 48 kHz, 240 at 44.1 kHz), so one model frame every 512/480 samples, ≈ 0.17 s of context. "
      "The app's analyser, `etude analyze chords` and training (`etude analyze features --model-frames`) all "
      "analyse at that hop and keep the same frames, so the model sees live exactly the numbers it was trained on.")
    A("- Outputs `scores` (logits) and `probabilities` (softmax), float32 `[N, 133]`; label order "
      "`C:maj … B:maj, C:min … B:min, …, C:dim7 … B:dim7, N` (index = 12·quality + root, N last). "
      "The first 24 labels equal `chord_templates.labels.json`.")
    A("- N is dynamic; the ML worker's generic path works if its `MODEL_INFO` gives "
      f"`inputSize: {CONTEXT_FRAMES * len(fields)}` (golden rows are stored under `chroma` for that reason).\n")
    A("## Data")
    A(f"{rep['clips']:,} clips of 1.6 s (20 per chord label, 320 `N`), made by `make_dataset.py` (seed 6): "
      "inversions (aug, dim7, sus2, sus4 in root position only: their pitch-class sets are other roots' chords, "
      "only the bass names the root), close/open/doubled voicings, bass note in C2–B2/C3–B3/C4–B4; General MIDI "
      "programs from FluidR3_GM and MuseScore_General (piano, guitar, strings, organ, brass, synth) rendered "
      "by fluidsynth, and Karplus-Strong (`pluck`) and additive timbres synthesised in NumPy; detune ±30 cents, "
      "reverb, laptop-mic band-pass 200 Hz–6 kHz, white/pink noise at 10–40 dB SNR, peak −35…−3 dBFS, "
      "25% at 44.1 kHz. `N` = quiet room noise, broadband noise, or one sustained note. Features: "
      f"`etude analyze features --model-frames` (the model frames at the live hop, `src/ml/chord_input.h`); {len(rep['window_end_times_s'])} windows per clip ending at "
      f"{rep['window_end_times_s']} s (attack, sustain, release): {rep['windows']:,} windows. Test set: clips with "
      f"id % 7 = 0 ({rep['test_windows']:,} windows), used once, for the final numbers only; everything else "
      f"(search, CV, curves, ablation) uses the {rep['dev_windows']:,} dev windows, split by clip.")
    pv = rep.get("feature_provenance") or {}
    A(f"Feature code: commit `{str(pv.get('commit'))[:10]}`"
      + (" with local changes in src/dsp or src/cli" if pv.get("dsp_or_cli_modified") else " (src/dsp and src/cli clean)")
      + f", `{pv.get('etude')}` sha256 `{str(pv.get('etude_sha256'))[:12]}…`. Retrain when the DSP changes.\n")
    A("## Architecture")
    if cqt:
        first = (f"the semitone spectrum as a [1, {CONTEXT_FRAMES}, 68] image; Conv 4×24 along the semitone axis, stride 4 "
                 "in time (4 model frames ≈ 43 ms; the spectrum is refreshed every 2nd): each position is a candidate root "
                 "and sees the two octaves above it → ReLU → max over the octaves of each pitch class → a [channels, 4, 12] "
                 "root map → ")
        equi = ("Shifting the spectrum by k semitones moves every chord's score by k roots exactly while the notes stay "
                "more than an octave below its top edge (tested), so each quality is learnt once for all roots, and the "
                "network still sees which note is lowest and how the chord is spread, which chroma folds away. ")
    else:
        first = ("chroma" + (f" and bass chroma as a [2, {CONTEXT_FRAMES}, 12]" if has_bass else f" as a [1, {CONTEXT_FRAMES}, 12]") + " image"
                 + (", the scalar fields standardised and broadcast over the 12 pitch classes" if has_extra else "")
                 + "; Conv 4×12 with circular padding over pitch classes and stride 4 in time (4 model frames ≈ 43 ms; "
                 "the chroma is refreshed every 2nd) → ReLU → ")
        equi = ("Transposing the input by k semitones moves every chord's score by k roots exactly (tested), so each "
                "quality is learnt once for all roots. ")
    A(f"Root-equivariant CNN, **{rep['params']:,} parameters**: " + first +
      "circular Conv 3×3 + residual → ReLU → mean and max over time → per-root 1×1 layers → 11 quality logits per "
      "root, and one `N` logit from the max over roots. " + equi +
      f"Chosen configuration: channels {best['channels']}, hidden {best['hidden']}, dropout {best['dropout']}, "
      f"AdamW lr {best['lr']} (one-cycle), weight decay {best['weight_decay']}, batch {best['batch']}, "
      f"label smoothing {best['label_smoothing']}, {rep['epochs']} epochs.\n")
    A("## Hyperparameter search")
    A(f"Grid on one validation split ({rep['search']['split']}):\n")
    rows = [(s["config"]["channels"], s["config"]["hidden"], s["config"]["lr"], s["config"]["dropout"], f"{s['params']:,}",
             f"{s['val']['accuracy']:.3f}", f"{s['val']['nll']:.3f}") for s in rep["search"]["results"]]
    A(table(rows, ["channels", "hidden", "lr", "dropout", "params", "val accuracy", "val NLL"]) + "\n")
    A("## Cross-validation (dev set, mean ± sd over folds)")
    A(f"{cv['k']}-fold, {cv['folds']}.\n")
    rows = [
        ("**this model** (" + best["features"] + ")", ms(cv["model"]), ms(cv["model"], "top3"), ms(cv["model"], "pcset_accuracy"),
         ms(cv["model"], "root_accuracy_chords"), ms(cv["model"], "quality_accuracy_chords"), ms(cv["model"], "n_f1")),
        ("logistic regression (sklearn; mean+sd over time of the same fields)", ms(cv["logistic_regression"]),
         ms(cv["logistic_regression"], "top3"), ms(cv["logistic_regression"], "pcset_accuracy"),
         ms(cv["logistic_regression"], "root_accuracy_chords"), ms(cv["logistic_regression"], "quality_accuracy_chords"),
         ms(cv["logistic_regression"], "n_f1")),
    ]
    A(table(rows, ["model", "top-1", "top-3", "same notes", "root (chords)", "quality (chords)", "N F1"]))
    A("\n\"same notes\" counts a prediction with the true chord's pitch-class set as right (e.g. C:sus2 for G:sus4).\n")
    tr = cv["triads_only"]
    A(f"**Against the template baseline** (`chord_templates.onnx` on the window-mean chroma; only the "
      f"{tr['windows']:,} maj/min windows, where its 24 labels apply): templates {ms(tr['template_baseline'])}; "
      f"this model {ms(tr['model'])} (its argmax over all 133 labels), {ms(tr['model'], 'accuracy_restricted_24')} "
      "(argmax restricted to the 24 triads).\n")
    A("### Feature ablation (same folds, same configuration)")
    rows = [(fs, ms(r), ms(r, "root_accuracy_chords"), ms(r, "n_f1"), ms(r, "nll")) for fs, r in cv["feature_ablation"].items()]
    A(table(rows, ["input fields", "top-1", "root (chords)", "N F1", "NLL"]))
    fc = rep.get("feature_choice", {})
    paired = fc.get("paired_accuracy_difference_vs_chosen", {})
    A("\n`extra` = rms_dbfs, flatness, confidence, onset_strength. `cqt` = the 68-semitone spectrum E1–B6 that "
      "the chroma is folded from (FeatureFrame `semitone_28..95`: spectral peaks, tuning removed, each "
      "semitone's power square-rooted, max-normalised): a log-frequency, CQT-class input that keeps the octave. "
      "Its network differs only in the first layer (a Conv 4×24 along the semitone axis, max-pooled over the "
      "octaves of each pitch class).\n")
    if fc:
        A(f"**Which input ships.** The architecture search ran on `{fc['searched_with']}`; the shipped input is "
          f"the live feature set with the best mean CV accuracy: **`{fc['chosen']}`**. Fold by fold, accuracy "
          "minus the chosen set's: " + "; ".join(f"`{fs}` {', '.join(f'{d:+.3f}' for d in v)}" for fs, v in paired.items())
          + ". A set that is behind in every fold is behind for a reason this data resolves; one that "
          "changes sign between folds is not.\n")
    if cqt:
        A("**History.** Until 2026-12-01 the shipped model read `chroma+bass+extra`, the search's input, although "
          "the ablation that ran after the search preferred `chroma+bass` in every fold; the FeatureFrame had no "
          "semitone spectrum, so no CQT-class arm was compared. Its held-out "
          "test accuracy was 0.770 (aug 0.605, dim7 0.562, sus2 0.689, sus4 0.685: the chords whose root only the "
          "bass names, and its bass chroma stopped at B3), and its chord recall through the CLI on unseen programs "
          "0.902 majmin / 0.839 sevenths. Adding the semitone spectrum to the live frame (68 floats) and letting the "
          "cross-validation choose gave the figures on this card.\n")
    A("### Learning curves")
    lc = rep["learning_curve_size"]
    A("![learning curves](reports/chord_classifier_learning_curves.png)\n")
    rows = [(f"{f:.2f}", n, f"{a:.3f}", f"{b:.3f}") for f, n, a, b in zip(lc["fraction"], lc["train_windows"], lc["train_acc"], lc["val_acc"])]
    A(table(rows, ["fraction of the split's training clips", "windows", "train accuracy", "validation accuracy"]))
    h = rep["learning_curve_epochs"]
    A(f"\nVs epochs (best configuration): train loss {h['train_loss'][0]:.3f} → {h['train_loss'][-1]:.3f}, "
      f"validation loss {h['val_loss'][0]:.3f} → min {min(h['val_loss']):.3f} (epoch {h['epoch'][int(min(range(len(h['val_loss'])), key=h['val_loss'].__getitem__))]}) "
      f"→ {h['val_loss'][-1]:.3f} at epoch {h['epoch'][-1]}; validation accuracy {h['val_acc'][-1]:.3f}.\n")
    A("## Per-instrument and per-register accuracy (5-fold out-of-fold predictions on the dev set)")
    hf = rep["held_out_family"]
    rows = []
    for fam, r in rep["per_family"].items():
        rows.append((fam, r["n"], f"{r['accuracy']:.3f}", pct(hf.get(fam, {}).get("held_out", {}).get("accuracy")),
                     pct(rep["test_per_family"].get(fam, {}).get("accuracy"))))
    A(table(rows, ["family", "windows", "CV accuracy", "family held out of training", "test (final model)"]))
    A("\n`none` = silence and noise clips (always `N`). \"Held out\": trained on the dev windows of every other family, "
      "tested on all dev windows of this one — how the model does on a timbre it has never heard.\n")
    rows = [(k if k != "None" else "none (silence/noise)", v["n"], f"{v['accuracy']:.3f}", pct(rep["test_per_register"].get(k, {}).get("accuracy"))) for k, v in rep["per_register"].items()]
    A(table(rows, ["register (bass note)", "windows", "CV accuracy", "test"]))
    A("")
    rows = [(k, v["n"], f"{v['accuracy']:.3f}") for k, v in rep["per_quality"].items()]
    A(table(rows, ["quality", "windows", "CV accuracy"]))
    A("")
    rows = [(k, v["n"], f"{v['accuracy']:.3f}") for k, v in rep["per_inversion"].items()]
    A(table(rows, ["inversion", "windows", "CV accuracy"]))
    A("")
    rows = [(k, v["n"], f"{v['accuracy']:.3f}") for k, v in rep["per_source"].items()]
    A(table(rows, ["source", "windows", "CV accuracy"]))
    A("")
    rows = [(k, f"{v['with']['accuracy']:.3f} ({v['with']['n']})" if v["with"] else "—",
             f"{v['without']['accuracy']:.3f} ({v['without']['n']})" if v["without"] else "—") for k, v in rep["per_augmentation"].items()]
    A(table(rows, ["augmentation", "CV accuracy with (windows)", "without"]))
    A("")
    rows = [(k, v["n"], f"{v['accuracy']:.3f}") for k, v in rep["per_window_end_s"].items()]
    A(table(rows, ["window ends at (s; chord 0.05–1.25 s)", "windows", "CV accuracy"]))
    A("\n### Confusion\n![quality confusion](reports/chord_classifier_confusion.png)\n")
    A("Most frequent errors (true → predicted, count): " + "; ".join(
        f"{c['true']} → {c['pred']} ({c['count']})" for c in rep["top_confusions"][:10]) + ".")
    A("Wrong roots by interval predicted − true (semitones): " + ", ".join(
        f"{k}: {v}" for k, v in rep["root_error_intervals"].items() if v) + ". The full 133×133 matrix is in the report JSON.\n")
    te = rep["test"]
    A("## Test set (final model, trained on all dev windows, evaluated once)")
    A(f"top-1 {te['accuracy']:.3f}, top-3 {te['top3']:.3f}, same notes {te['pcset_accuracy']:.3f}, root {te['root_accuracy_chords']:.3f}, "
      f"quality {te['quality_accuracy_chords']:.3f}, N F1 {te['n_f1']:.3f}, NLL {te['nll']:.3f} ({te['n']:,} windows). "
      f"Logistic regression on the same split: {rep['test_logistic_regression']['accuracy']:.3f}. "
      f"Triad windows: model {rep['test_triads']['model']:.3f} vs templates {rep['test_triads']['template_baseline']:.3f} "
      f"({rep['test_triads']['windows']} windows).\n")
    ex = rep["export"]
    A("## Export check")
    A(f"PyTorch vs onnxruntime {__import__('onnxruntime').__version__} on all {ex['windows']:,} test windows: max |Δ| scores "
      f"{ex['max_abs_diff_scores']:.1e}, probabilities {ex['max_abs_diff_probabilities']:.1e}, argmax agreement "
      f"{ex['argmax_agreement']:.3f}. Native onnxruntime: {ex['onnxruntime_ms_per_window_native']:.3f} ms per window "
      "(1 thread). Browser agreement and the ≤ 5 ms budget are for the lead's worker self-test and benchmark.\n")
    A("## Interpretability: occlusion")
    A("`train.occlusion(predict, x, fields)` zeroes one pitch class (" + ("every octave of it in the semitone spectrum"
      if cqt else "chroma and bass chroma") + ", all frames) or one group of "
      "4 frames (every pitch field) at a time and reports the drop in the predicted label's probability; the 12 + 4 "
      "occluded copies run as one batch of 17 rows, which the app can send to the worker as is. "
      "Examples from the test set:\n")
    A("![occlusion](reports/chord_classifier_occlusion.png)\n")
    for e in rep["occlusion_examples"]:
        top = sorted(range(12), key=lambda i: -e["pitch_class"][i])[:4]
        names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
        A(f"- {e['harte']} ({e['family']}) → {e['target']} (p {e['p_target']:.2f}): largest drops at "
          + ", ".join(f"{names[i]} {e['pitch_class'][i]:+.2f}" for i in top)
          + "; time groups " + ", ".join(f"{v:+.2f}" for v in e["time"]) + ".")
    A("")
    A("## Whole files through the CLI (chord symbol recall)")
    A("`etude analyze chords FILE` runs this file with onnxruntime-web under Node on one window every 4 model frames "
      "and smooths the probabilities into segments (Viterbi, segments ≥ 0.2 s). Chord symbol recall (mir_eval.chord, "
      "duration-weighted) on 8-chord progressions (maj, min, 7, maj7, min7; a quarter in first inversion) rendered "
      "by fluidsynth through both training soundfonts with General MIDI programs that no training clip used: "
      "`.venv/bin/python bench/accuracy/chord_benchmark.py` (bench/RESULTS.md, \"Chord recall\").")
    if sha.startswith(CLI_RECALL["model_sha256"]):
        A("\n| model (unseen programs, 42 files: clean, SNR 20, laptop) | root | majmin | sevenths |\n|---|---|---|---|")
        for name, (root, majmin, sevenths) in CLI_RECALL["rows"].items():
            A(f"| {name} | {root:.3f} | {majmin:.3f} | {sevenths:.3f} |")
        A("")
    else:
        A("Not yet measured for this model file: run the command above and update CLI_RECALL in write_card.py.\n")
    A("## Failure modes and limits")
    A("- Trained on rendered and synthesised audio only: no real rooms, microphones or players. Expect lower "
      "accuracy live; the held-out-family column is the best available hint of how it transfers to a new timbre.")
    A("- aug and dim7 (symmetric) and sus2/sus4 (inversions of each other) are root-position only in the data: "
      "an inverted C:aug is reported as the aug chord on its bass note; C:sus2/5 as G:sus4. \"same notes\" "
      "accuracy shows how much of the error is only this naming ambiguity." + (
      " The semitone spectrum shows the lowest note wherever it lies (E1–B6), so these roots are read from the bass; "
      "a chord voiced entirely above B6 or with its bass below E1 is out of range." if cqt else
      " The DSP's bass chroma covers MIDI 28–59 (E1–B3), so a bass note in the high register (C4–B4) is invisible to it "
      "and these chords' roots become guesses: the main reason aug, dim7, sus2 and sus4 score lowest."))
    A("- `N` covers silence, noise and single notes; two-note intervals and power chords are out of vocabulary "
      "and will come out as some chord. A chord whose tones all lie on one harmonic series (synthetic exact-harmonic "
      "tones, e.g. C3+C4+E4+G4; tests/unit/cli/test_commands.cpp) sounds to the pitch tracker like one note "
      "(voicing confidence ≈ 0.99) and may be called `N`, like the single low note whose harmonics it matches. Chords outside the 132 (6ths, 9ths, 11ths, slash chords' bass) map "
      "to the nearest; the bass of an inversion is not reported.")
    A("- The window is ~0.17 s: arpeggios and strums slower than that are seen a note at a time. The app "
      "should smooth over several calls and gate on level/confidence.")
    A("- Calibration (do the probabilities mean what they say?) is measured on rendered audio only, by `calibrate.py` (section below); not on live microphones or unseen instruments.")
    A("\n## Intended use")
    A("Live feedback on the Chords screen of a practice app (label, confidence, top 3, occlusion view), running "
      "in the ML worker on the device. Not for grading, transcription of mixes, or any decision about a person.\n")
    A("## Time and commands")
    A(f"`make_dataset.py` then `train.py` (measured here, 1 thread, shared 2-core machine): search "
      f"{t['search_s']:.0f} s, learning curves {t['learning_curves_s']:.0f} s, CV + ablation + baselines "
      f"{t['cv_ablation_baselines_s']:.0f} s, held-out families {t['held_out_family_s']:.0f} s, final + export "
      f"{t['final_export_s']:.0f} s; total {t['total_s']:.0f} s. `train.py --smoke` (CI) runs the same code on "
      "`make_dataset.py --quick` data (72 clips) with one configuration and 2 folds, into a temp dir.")
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    with open(os.path.join(REPORTS, "chord_classifier_report.json")) as f:
        write(json.load(f), os.path.join(MODELS, f"{MODEL_NAME}.card.md"))
