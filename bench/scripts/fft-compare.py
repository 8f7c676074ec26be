#!/usr/bin/env python3
"""Interleaved JMH comparison of FFT implementations on a noisy machine.

Runs one JMH fork per (round, params, variant), cycling through the variants inside every round so that
load changes hit all of them alike, then prints per-params medians over rounds and the ratio of each
rtf4j variant against JTransforms measured in the same rounds (ratio > 1: rtf4j faster).

  bench/scripts/fft-compare.py --bench FftBench --params n=1024,4096,16384,65536 \\
      --jar before=/tmp/before.jar --jar after=bench/target/benchmarks.jar --rounds 3

Every --jar runs impl=rtf4j; JTransforms (impl=jtransforms) runs from the last jar. Extra --params
(e.g. rows=64,256) multiply the configurations.
"""
import argparse, itertools, json, os, statistics, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument('--bench', required=True, help='benchmark class simple name, e.g. FftBench')
ap.add_argument('--params', action='append', default=[], help='name=v1,v2,...')
ap.add_argument('--jar', action='append', required=True, help='label=path to a benchmarks.jar')
ap.add_argument('--rounds', type=int, default=3)
ap.add_argument('--jmh', default='-wi 3 -i 5 -w 1s -r 1s', help='JMH iteration options')
a = ap.parse_args()

jars = [j.split('=', 1) for j in a.jar]
variants = [(label, path, 'rtf4j') for label, path in jars] + [('jtransforms', jars[-1][1], 'jtransforms')]
names = [p.split('=', 1)[0] for p in a.params]
values = [p.split('=', 1)[1].split(',') for p in a.params]
configs = list(itertools.product(*values))
scores = {}  # (config, label) -> [score per round]
unit = ''
for rnd in range(a.rounds):
    for cfg in configs:
        order = variants if rnd % 2 == 0 else variants[::-1]
        for label, path, impl in order:
            with tempfile.NamedTemporaryFile(suffix='.json', delete=False) as f:
                out = f.name
            cmd = ['java', '-jar', path, r'\.' + a.bench + r'\.', '-f', '1', *a.jmh.split(),
                   '-p', 'impl=' + impl, '-rf', 'json', '-rff', out]
            for nm, v in zip(names, cfg):
                cmd += ['-p', nm + '=' + v]
            for attempt in range(3):
                run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if run.returncode == 0:
                    break
                print('fork failed (%s), retrying: %s' % (run.returncode, run.stderr[-500:]), file=sys.stderr)
            else:
                sys.exit('JMH fork failed three times: ' + ' '.join(cmd))
            res = json.load(open(out))
            os.unlink(out)
            m = res[0]['primaryMetric']
            unit = m['scoreUnit']
            scores.setdefault((cfg, label), []).append(m['score'])
            print('round %d %s %s: %.2f %s' % (rnd + 1, dict(zip(names, cfg)), label, m['score'], unit),
                  file=sys.stderr, flush=True)

labels = [v[0] for v in variants]
print('| ' + ' | '.join(names) + ' | ' + ' | '.join('%s (%s, median)' % (l, unit) for l in labels)
      + ' | ' + ' | '.join('%s vs JT' % l for l in labels[:-1]) + ' |')
print('|' + '---|' * (len(names) + 2 * len(labels) - 1))
for cfg in configs:
    med = {l: statistics.median(scores[(cfg, l)]) for l in labels}
    # per-round ratios against the JTransforms fork of the same round, then their median
    ratios = [statistics.median([j / r for r, j in zip(scores[(cfg, l)], scores[(cfg, 'jtransforms')])])
              for l in labels[:-1]]
    print('| ' + ' | '.join(cfg) + ' | ' + ' | '.join('%.1f' % med[l] for l in labels) + ' | '
          + ' | '.join('%.2fx' % r for r in ratios) + ' |')
