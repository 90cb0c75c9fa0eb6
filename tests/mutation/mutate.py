#!/usr/bin/env python3
"""Mutation testing of bopt's logic modules.

Each mutant is one classic change to one source file: a relational operator
moved across its boundary (< <=, > >=), == and != swapped, binary + and -
swapped, && and || swapped, an integer constant nudged by one, a statement
deleted, a boolean return negated. For every mutant the driver writes the
change into its own copy of the tree, rebuilds (without LTO, so that one file
recompiles and the programs relink), runs the chosen test stages in order and
stops at the first failure. A mutant that does not compile is skipped; one
that runs past the timeout counts as killed; the file is restored afterwards.

The choice is deterministic: every site of every file is enumerated, then
each file's sites are shuffled with a generator seeded by --seed and the file
name, and the first --per-file are taken. A mutant's id hashes the file, the
operator, the text of its line and which of the file's like sites it is (the
n-th identical change on identical lines), so it survives most edits elsewhere; equivalent.txt lists the ids judged
equivalent (no behaviour can tell them from the original), each with a reason.

    tests/mutation/mutate.py [--per-file N] [--seed S] [--jobs J]
        [--stages unit,golden[,rest]] [--timeout-factor F] [--only ID,...]
        [--workdir DIR] [--log FILE] [--resume [--rerun-survivors]] [--list]
        [--report] [FILE...]

FILE defaults to the modules in tests/mutation/modules.txt, each with its own
number of mutants when the line gives one (else --per-file). Writes one JSON
line per mutant to --log (default WORKDIR/mutants.jsonl) and prints a table
per file; WORKDIR/table.md holds it too. Never run by meson test: see bopt(1),
TESTING, for the time it takes.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, 'tests', 'mutation')


# --- finding sites ---------------------------------------------------------

def code_mask(text):
    """True for each character that is code: not a comment, string or
    character literal, nor a preprocessor line other than #define."""
    mask = [True] * len(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == '#':
            j = text.find('\n', i)
            j = n if j < 0 else j
            while j > 0 and j < n and text[j - 1] == '\\':
                k = text.find('\n', j + 1)
                j = n if k < 0 else k
            if not re.match(r'#\s*define\b', text[i:j]):
                for k in range(i, j):
                    mask[k] = False
            else:
                # The macro's name and parameters are not sites.
                m = re.match(r'#\s*define\s+\w+(\([^)]*\))?', text[i:j])
                for k in range(i, i + m.end()):
                    mask[k] = False
            i = j
            continue
        if c == '\n':
            line_start = True
            i += 1
            continue
        if not c.isspace():
            line_start = False
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            for k in range(i, j):
                mask[k] = False
            i = j
            continue
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                mask[k] = False
            i = j
            continue
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            for k in range(i, j):
                mask[k] = False
            i = j
            continue
        i += 1
    return mask


DECL_ARRAY = re.compile(r'^\s*(static\s+|const\s+)*(char|unsigned|int|double|float|bool|size_t|'
                        r'u?int\d+_t|struct\s+\w+|enum\s+\w+)\b[^=(]*\[\s*\d+\s*\]\s*[;=]')
FUNC_START = re.compile(r'^(static\s+)?(inline\s+)?([A-Za-z_][\w\s\*]*?)\b(\w+)\(')
STATEMENT_HEAD = re.compile(r'^(return|break|continue|goto|[A-Za-z_][\w.\->\[\]\*]*\s*(=|\+=|-=|\*=|/=|\||&|\+\+|--|\())')
DECL_HEAD = re.compile(r'^(static\s+|const\s+)*(char|unsigned|signed|int|long|double|float|bool|'
                       r'size_t|ssize_t|off_t|u?int\d+_t|struct|enum|union|FILE|cJSON|void)\b')


class Site:
    __slots__ = ('file', 'line', 'col', 'op', 'old', 'new', 'start', 'end', 'linetext', 'nth')

    def ident(self):
        h = hashlib.sha1('\0'.join([self.file, self.op, self.linetext.strip(), str(self.nth),
                                    self.new]).encode()).hexdigest()
        return h[:10]


def prev_code(text, mask, i):
    j = i - 1
    while j >= 0 and (text[j].isspace() or not mask[j]):
        j -= 1
    return j


def find_sites(path, rel):
    text = open(path, encoding='utf-8').read()
    mask = code_mask(text)
    lines = text.split('\n')
    offsets = []
    o = 0
    for ln in lines:
        offsets.append(o)
        o += len(ln) + 1
    sites = []
    counts = {}

    def add(lineno, start, end, op, new):
        s = Site()
        s.file, s.line, s.op = rel, lineno + 1, op
        s.start, s.end, s.old, s.new = start, end, text[start:end], new
        s.col = start - offsets[lineno] + 1
        s.linetext = lines[lineno]
        key = (s.linetext.strip(), op, s.old, new)
        s.nth = counts.get(key, 0)
        counts[key] = s.nth + 1
        sites.append(s)

    in_bool_fn = False
    depth = 0
    prev_end = ''
    for lineno, ln in enumerate(lines):
        base = offsets[lineno]
        code = ''.join(ch if mask[base + k] else ' ' for k, ch in enumerate(ln))
        stripped = code.strip()
        if depth == 0:
            m = FUNC_START.match(code)
            if m and not code.startswith(' ') and not code.startswith('\t'):
                in_bool_fn = re.search(r'\bbool\b', m.group(3)) is not None
        # Operators.
        for m in re.finditer(r'<<=?|>>=?|->|<=|>=|==|!=|&&|\|\||\+\+|--|\+=|-=|[<>+\-]', code):
            tok = m.group(0)
            a, b = base + m.start(), base + m.end()
            if tok in ('<', '<='):
                add(lineno, a, b, 'rel', '<=' if tok == '<' else '<')
            elif tok in ('>', '>='):
                add(lineno, a, b, 'rel', '>=' if tok == '>' else '>')
            elif tok in ('==', '!='):
                add(lineno, a, b, 'eq', '!=' if tok == '==' else '==')
            elif tok in ('&&', '||'):
                add(lineno, a, b, 'logic', '||' if tok == '&&' else '&&')
            elif tok in ('+=', '-='):
                add(lineno, a, b, 'arith', '-=' if tok == '+=' else '+=')
            elif tok in ('+', '-'):
                j = prev_code(text, mask, a)
                if j < 0 or not (text[j].isalnum() or text[j] in '_)]'):
                    continue  # unary
                if text[j] in 'eE' and re.search(r'[\d.][eE]$', text[max(0, j - 30):j + 1]) and \
                        re.search(r'(?<![\w.])[\d.]+[eE]$', text[max(0, j - 30):j + 1]):
                    continue  # exponent of a floating constant
                add(lineno, a, b, 'arith', '-' if tok == '+' else '+')
        # Integer constants, not array sizes of declarations.
        if not DECL_ARRAY.match(code):
            for m in re.finditer(r'(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])', code):
                lit = m.group(1)
                v = int(lit, 16) if lit[:2] in ('0x', '0X') else int(lit, 10)
                if lit.startswith('0') and len(lit) > 1 and lit[1] not in 'xX':
                    continue  # octal
                new = (hex(v + 1) if lit[:2] in ('0x', '0X') else str(v + 1)) + m.group(2)
                add(lineno, base + m.start(), base + m.end(), 'const', new)
        # Boolean returns negated.
        m = re.match(r'^(\s*)return\s+(.*);\s*$', code)
        if m and in_bool_fn:
            # The code with its strings blanked has the same columns as the
            # line: take the expression from the line itself.
            expr = ln[m.start(2):m.end(2)].strip()
            a = base + len(m.group(1))
            b = base + len(code.rstrip())
            if expr == 'true':
                add(lineno, a, b, 'negate', 'return false;')
            elif expr == 'false':
                add(lineno, a, b, 'negate', 'return true;')
            else:
                add(lineno, a, b, 'negate', 'return !(%s);' % expr)
        # Whole statements on one line, deleted.
        if stripped.endswith(';') and prev_end in (';', '{', '}', ')', ':', 'else') and \
                STATEMENT_HEAD.match(stripped) and not DECL_HEAD.match(stripped) and \
                stripped.count('(') == stripped.count(')') and depth > 0:
            a = base + code.index(stripped[0])
            b = base + len(code.rstrip())
            add(lineno, a, b, 'delete', '{}')  # not ';': -Wempty-body
        if stripped:
            prev_end = 'else' if stripped.endswith('else') else stripped[-1]
        depth += code.count('{') - code.count('}')
    return text, sites


# --- running ---------------------------------------------------------------

def sh(cmd, cwd=None, timeout=None, env=None):
    """Runs cmd in its own process group; returns (status, seconds, output).
    status is None after a timeout (the group is killed)."""
    t = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, time.monotonic() - t, out.decode(errors='replace')
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, time.monotonic() - t, out.decode(errors='replace')


def tracked_files():
    out = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                         cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout
    return [f for f in out.decode().split('\0') if f and os.path.isfile(os.path.join(ROOT, f))]


def prepare(copy):
    """A copy of the working tree at COPY, configured without LTO."""
    os.makedirs(copy, exist_ok=True)
    for f in tracked_files():
        src, dst = os.path.join(ROOT, f), os.path.join(copy, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if not os.path.exists(dst) or open(src, 'rb').read() != open(dst, 'rb').read():
            shutil.copy(src, dst)
        # Sources get a new time, so that ninja rebuilds all from them: a
        # run cut short may have left objects built from a mutant.
        if f.startswith('src/'):
            os.utime(dst)
    build = os.path.join(copy, 'build')
    if not os.path.isfile(os.path.join(build, 'build.ninja')):
        st, _, out = sh(['meson', 'setup', build, copy, '-Db_lto=false', '-Dman-pages=disabled',
                         '-Dtests=enabled'])
        if st != 0:
            sys.exit('mutate: meson setup failed in %s:\n%s' % (copy, out))
    st, _, out = sh(['ninja', '-C', build])
    if st != 0:
        sys.exit('mutate: the unmutated tree does not build:\n' + out)
    return build


def unit_tests(build):
    d = os.path.join(build, 'tests')
    return sorted(f for f in os.listdir(d) if f.startswith('test-') and
                  os.access(os.path.join(d, f), os.X_OK) and not f.endswith('.p'))


def rest_tests(build):
    """meson's tests other than the unit tests and the golden cases."""
    out = subprocess.run(['meson', 'test', '-C', build, '--list', '--no-rebuild'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    names = []
    for ln in out.decode().splitlines():
        parts = [p.strip() for p in ln.split('/')]
        if len(parts) == 2 and not parts[0].endswith('unit') and parts[1] != 'golden':
            names.append(parts[1])
    return names


def targets(build, stages):
    """What the stages run: not the completions, the man page, the fuzzers."""
    if 'rest' in stages:
        return []
    return ['bopt'] + ['tests/' + t for t in unit_tests(build)]


def stage_commands(copy, build, stages, rel):
    """(name, argv) in the order they run: the file's own unit test first."""
    cmds = []
    if 'unit' in stages:
        stem = os.path.splitext(os.path.basename(rel))[0]
        tests = unit_tests(build)
        own = [t for t in tests if t == 'test-' + stem]
        for t in own + [t for t in tests if t not in own]:
            cmds.append(('unit/' + t, [os.path.join(build, 'tests', t), '--jobs=1',
                                       '-q']))
    if 'golden' in stages:
        cmds.append(('golden', [os.path.join(copy, 'tests/golden/run.sh'),
                                os.path.join(build, 'bopt'), os.path.join(copy, 'testdata')]))
    if 'rest' in stages:
        cmds.append(('rest', ['meson', 'test', '-C', build, '--no-rebuild', '--maxfail', '1']
                     + rest_tests(build)))
    return cmds


def run_mutant(site, original, copy, build, stages, budgets):
    path = os.path.join(copy, site.file)
    mutated = original[:site.start] + site.new + original[site.end:]
    rec = {'id': site.ident(), 'file': site.file, 'line': site.line, 'col': site.col,
           'op': site.op, 'from': site.old, 'to': site.new, 'text': site.linetext.strip()}
    t0 = time.monotonic()
    try:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(mutated)
        st, _, out = sh(['ninja', '-C', build] + targets(build, stages), timeout=600)
        if st != 0:
            rec['status'] = 'uncompilable'
            errors = [l for l in out.splitlines() if 'error:' in l]
            rec['error'] = errors[0][-200:] if errors else out[-200:]
            return rec
        rec['status'] = 'survived'
        for name, argv in stage_commands(copy, build, stages, site.file):
            st, secs, out = sh(argv, cwd=copy, timeout=budgets.get(name.split('/')[0], 600))
            if st is None:
                rec['status'], rec['by'] = 'timeout', name
                break
            if st != 0:
                rec['status'], rec['by'] = 'killed', name
                break
    finally:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(original)
        rec['seconds'] = round(time.monotonic() - t0, 1)
    return rec


def baseline(copy, build, stages):
    """Times each stage on the unmutated tree; every one must pass."""
    budgets = {}
    for name, argv in stage_commands(copy, build, stages, 'none.c'):
        st, secs, out = sh(argv, cwd=copy, timeout=1800)
        if st != 0:
            sys.exit('mutate: %s fails without a mutation:\n%s' % (name, out[-3000:]))
        key = name.split('/')[0]
        budgets[key] = max(budgets.get(key, 0), secs)
    return budgets


# --- the report ------------------------------------------------------------

def load_equivalents():
    eq = {}
    path = os.path.join(HERE, 'equivalent.txt')
    for ln in open(path, encoding='utf-8'):
        ln = ln.strip()
        if ln and not ln.startswith('#'):
            parts = ln.split(None, 2)
            if len(parts) < 3:
                sys.exit('mutate: %s: every equivalent needs an id, a place and a reason: %s'
                         % (path, ln))
            eq[parts[0]] = parts[2]
    return eq


def table(records, equivalents):
    """Per file: compiled mutants, killed (a timeout included), equivalent,
    deep (only a leak or a race: tests/deep.sh sees them, meson test cannot),
    survived, and the score killed / (compiled - equivalent - deep)."""
    files = {}
    keys = ('compiled', 'killed', 'equivalent', 'deep', 'survived')
    for r in records:
        f = files.setdefault(r['file'], dict.fromkeys(keys + ('uncompilable',), 0))
        if r['status'] == 'uncompilable':
            f['uncompilable'] += 1
            continue
        f['compiled'] += 1
        if r['status'] in ('killed', 'timeout'):
            f['killed'] += 1
        elif r['id'] in equivalents:
            f['deep' if equivalents[r['id']].startswith('deep:') else 'equivalent'] += 1
        else:
            f['survived'] += 1
    rows = ['| file | compiled | killed | equivalent | deep | survived | score |',
            '|---|---:|---:|---:|---:|---:|---:|']
    tot = dict.fromkeys(keys, 0)

    def score(f):
        live = f['compiled'] - f['equivalent'] - f['deep']
        return '%.1f %%' % (100.0 * f['killed'] / live) if live else '-'

    def row(name, f):
        return '| %s | %s | %s |' % (name, ' | '.join(str(f[k]) for k in keys), score(f))
    for name in sorted(files):
        for k in keys:
            tot[k] += files[name][k]
        rows.append(row(name, files[name]))
    rows.append(row('all', tot))
    return '\n'.join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('files', nargs='*')
    ap.add_argument('--per-file', type=int, default=20)
    ap.add_argument('--count', type=int, default=0, help='at most this many mutants in all')
    ap.add_argument('--seed', type=int, default=21)
    ap.add_argument('--jobs', type=int, default=1)
    ap.add_argument('--stages', default='unit,golden')
    ap.add_argument('--timeout-factor', type=float, default=3.0)
    ap.add_argument('--only', default='')
    ap.add_argument('--workdir', default=os.path.join(ROOT, 'build-mutation'))
    ap.add_argument('--log', default='')
    ap.add_argument('--resume', action='store_true', help='keep the log, run what it lacks')
    ap.add_argument('--rerun-survivors', action='store_true',
                    help='with --resume, run the log\'s survivors again (after new tests)')
    ap.add_argument('--list', action='store_true', help='print the chosen mutants and stop')
    ap.add_argument('--report', action='store_true', help='print the table of --log and stop')
    a = ap.parse_args()
    a.workdir = os.path.abspath(a.workdir)
    log = os.path.abspath(a.log or os.path.join(a.workdir, 'mutants.jsonl'))
    equivalents = load_equivalents()
    if a.report:
        latest = {}
        for l in open(log):
            r = json.loads(l)
            latest[r['id']] = r
        print(table(list(latest.values()), equivalents))
        return 0
    # modules.txt: a path a line, optionally followed by its own --per-file.
    per_file = {}
    if not a.files:
        for l in open(os.path.join(HERE, 'modules.txt')):
            parts = l.split()
            if parts and not parts[0].startswith('#'):
                per_file[parts[0]] = int(parts[1]) if len(parts) > 1 else a.per_file
    files = a.files or list(per_file)
    chosen = []
    originals = {}
    for rel in files:
        text, sites = find_sites(os.path.join(ROOT, rel), rel)
        originals[rel] = text
        rng = random.Random('%d:%s' % (a.seed, rel))
        rng.shuffle(sites)
        chosen += sites if a.only else sites[:per_file.get(rel, a.per_file)]
    if a.only:
        want = set(a.only.split(','))
        chosen = [s for s in chosen if s.ident() in want]
    if a.count:
        rng = random.Random(a.seed)
        rng.shuffle(chosen)
        chosen = chosen[:a.count]
    if a.list:
        for s in chosen:
            print('%s %s:%d:%d %s %r -> %r' % (s.ident(), s.file, s.line, s.col, s.op, s.old, s.new))
        return 0
    os.makedirs(a.workdir, exist_ok=True)
    done = {}
    if a.resume and os.path.exists(log):
        for l in open(log):
            r = json.loads(l)
            if not (a.rerun_survivors and r['status'] == 'survived'):
                done[r['id']] = r
    elif os.path.exists(log):
        os.unlink(log)
    todo = [s for s in chosen if s.ident() not in done]
    stages = a.stages.split(',')
    print('mutate: %d mutants (%d already in the log), stages %s, %d job(s)'
          % (len(chosen), len(chosen) - len(todo), a.stages, a.jobs), flush=True)

    # One copy of the tree per job; each job takes every jobs-th mutant.
    jobs = max(1, a.jobs)
    pids = []
    for j in range(jobs):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                copy = os.path.join(a.workdir, 'tree%d' % j)
                build = prepare(copy)
                budgets = {k: v * a.timeout_factor + 10
                           for k, v in baseline(copy, build, stages).items()}
                for i, s in enumerate(todo):
                    if i % jobs != j:
                        continue
                    r = run_mutant(s, originals[s.file], copy, build, stages, budgets)
                    if r['status'] == 'survived' and r['id'] in equivalents:
                        r['equivalent'] = equivalents[r['id']]
                    with open(log, 'a') as f:
                        f.write(json.dumps(r) + '\n')
                    print('%-12s %s %s:%d %s %r -> %r (%.0f s)' % (
                        r['status'], r['id'], r['file'], r['line'], r['op'], r['from'],
                        r['to'], r['seconds']), flush=True)
            except BaseException as e:  # noqa: the parent reports it
                print('mutate: job %d: %s' % (j, e), file=sys.stderr)
                code = 1
            os._exit(code)
        pids.append(pid)
    status = 0
    for pid in pids:
        _, st = os.waitpid(pid, 0)
        status |= st
    records = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
    ids = {s.ident() for s in chosen}
    latest = {}
    for r in records:
        if r['id'] in ids:
            latest[r['id']] = r  # a rerun's line comes later and wins
    records = list(latest.values())
    out = table(records, equivalents)
    with open(os.path.join(a.workdir, 'table.md'), 'w') as f:
        f.write(out + '\n')
    print(out)
    stale = [r for r in records if r['id'] in equivalents and r['status'] in ('killed', 'timeout')]
    for r in stale:
        print('mutate: %s is listed as equivalent but was killed by %s' % (r['id'], r.get('by')),
              file=sys.stderr)
    return 1 if status else 0


if __name__ == '__main__':
    sys.exit(main())
