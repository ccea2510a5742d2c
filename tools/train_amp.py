#!/usr/bin/env python3
"""Train EdgeRuntime's embedded default demo model: a small "amp-like" GRU.

GRU(1, 16) -> Linear(16, 1), trained with PyTorch on a synthetic target: a guitar-like plucked-string
signal through an asymmetric soft clipper followed by a one-pole "tone" low-pass. Exported in
RTNeural's Keras-style JSON (GRU gates z, r, h with reset_after, i.e. what RTNeural and EdgeRuntime's
importer read) to src/EdgeRuntime/Models/default_amp.json, with a short deterministic check signal
and PyTorch's float32 output for it under "check" (used by the tests).

Usage:  /usr/bin/python3 tools/train_amp.py [--steps N] [--out PATH]
Needs:  apt-get install -y python3-torch   (Debian's PyTorch; CPU is enough, ~minutes)
"""
import argparse
import json
import math
import os
import time

import torch

SR = 48000
HIDDEN = 16


def plucked(n, gen):
    """Sum of random plucked notes (decaying harmonics with a little inharmonicity and pick noise)."""
    t = torch.arange(n, dtype=torch.float64) / SR
    x = torch.zeros(n, dtype=torch.float64)
    pos = 0
    while pos < n:
        f0 = 82.4 * 2 ** (torch.randint(0, 30, (1,), generator=gen).item() / 12)
        dur = int(SR * (0.15 + 0.6 * torch.rand(1, generator=gen).item()))
        amp = 0.2 + 0.8 * torch.rand(1, generator=gen).item()
        seg = t[: min(dur * 2, n - pos)]
        note = torch.zeros_like(seg)
        for k in range(1, 9):
            fk = f0 * k * (1 + 0.0004 * k * k)
            if fk > SR / 2:
                break
            note += (0.7 ** (k - 1)) * torch.sin(2 * math.pi * fk * seg + k) * torch.exp(-seg * (2.0 + 1.5 * k))
        note[: 48] += 0.3 * (torch.rand(min(48, len(seg)), generator=gen, dtype=torch.float64) * 2 - 1)
        x[pos: pos + len(seg)] += amp * note
        pos += dur
    return (0.5 * x / x.abs().max()).float()


def amp_target(x):
    """Asymmetric soft clipping then a one-pole low-pass (~3.5 kHz): the 'amp' to learn."""
    g = 6.0
    pre = g * x + 0.3
    y = torch.tanh(pre) - math.tanh(0.3)
    y = torch.where(y > 0, y, 0.6 * torch.tanh(y / 0.6))
    a = math.exp(-2 * math.pi * 3500 / SR)
    out = torch.zeros_like(y)
    s = 0.0
    yl = y.tolist()
    ol = [0.0] * len(yl)
    for i, v in enumerate(yl):
        s = (1 - a) * v + a * s
        ol[i] = s
    return 0.7 * torch.tensor(ol, dtype=torch.float32)


class Amp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(1, HIDDEN, batch_first=True)
        self.dense = torch.nn.Linear(HIDDEN, 1)

    def forward(self, x, h=None):
        y, h = self.gru(x, h)
        return self.dense(y), h


def esr(y, t):
    return (((y - t) ** 2).sum() / (t ** 2).sum().clamp_min(1e-12)).item()


def to_rtneural(model, check_in, check_out, meta):
    H = HIDDEN
    sd = {k: v.detach().double() for k, v in model.state_dict().items()}

    def zrh(m):  # torch gate blocks r, z, n -> Keras z, r, h (rows)
        return torch.cat([m[H:2 * H], m[0:H], m[2 * H:3 * H]], 0)

    W = zrh(sd["gru.weight_ih_l0"]).t()        # [in][3H]
    U = zrh(sd["gru.weight_hh_l0"]).t()        # [H][3H]
    b = torch.stack([zrh(sd["gru.bias_ih_l0"]), zrh(sd["gru.bias_hh_l0"])])  # [2][3H]
    Wd = sd["dense.weight"].t()                # [H][1]
    bd = sd["dense.bias"]
    f = lambda t: json.loads(json.dumps(t.tolist()))
    return {
        "in_shape": [None, None, 1],
        "samplerate": SR,
        "metadata": meta,
        "layers": [
            {"type": "gru", "activation": "tanh", "shape": [None, None, H], "weights": [f(W), f(U), f(b)]},
            {"type": "dense", "activation": "", "shape": [None, None, 1], "weights": [f(Wd), f(bd)]},
        ],
        "check": {"input": [float(v) for v in check_in], "output": [float(v) for v in check_out]},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=250)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "src", "EdgeRuntime", "Models", "default_amp.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(1234)

    x = plucked(SR * 12, gen)
    t = amp_target(x)
    xv = plucked(SR * 2, torch.Generator().manual_seed(99))
    tv = amp_target(xv)

    model = Amp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.steps)
    seg, batch, warm = 512, 32, 64
    start = time.time()
    for step in range(args.steps):
        idx = torch.randint(0, len(x) - seg, (batch,), generator=gen)
        xb = torch.stack([x[i: i + seg] for i in idx]).unsqueeze(-1)
        tb = torch.stack([t[i: i + seg] for i in idx]).unsqueeze(-1)
        y, _ = model(xb)
        loss = ((y[:, warm:] - tb[:, warm:]) ** 2).mean() / (tb[:, warm:] ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 25 == 0 or step == args.steps - 1:
            print(f"step {step:4d}  train ESR {loss.item():.4f}  ({time.time() - start:.0f} s)", flush=True)

    with torch.no_grad():
        yv, _ = model(xv.view(1, -1, 1))
        val = esr(yv.view(-1), tv)
        # Deterministic check signal: 256 samples of a decaying 196 Hz tone with a little 3rd harmonic.
        n = torch.arange(256, dtype=torch.float64)
        cin = (0.4 * torch.sin(2 * math.pi * 196 * n / SR) + 0.1 * torch.sin(2 * math.pi * 588 * n / SR)) * torch.exp(-n / 400)
        cin = cin.float()
        cout, _ = model(cin.view(1, -1, 1))
    print(f"validation ESR {val:.4f}")
    meta = {
        "name": "default_amp",
        "description": "GRU(1,16)+Dense(16,1) trained by tools/train_amp.py on a synthetic plucked-string signal through an asymmetric soft clipper and a 3.5 kHz one-pole low-pass",
        "validation_esr": round(val, 5),
        "steps": args.steps,
        "torch": torch.__version__,
    }
    doc = to_rtneural(model, cin.tolist(), cout.view(-1).tolist(), meta)
    with open(args.out, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
