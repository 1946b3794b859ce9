#!/usr/bin/env bash
# Create the course's three environments and register their Jupyter kernels (COURSE.md, "Environments").
#
#   bash scripts/setup.sh          # what `make setup` runs; a no-op (well under 10 s) once done
#   FORCE=1 bash scripts/setup.sh  # rebuild everything
#
# Everything lands inside the repository (.venvs/), so nothing in your home directory changes.
# System packages (a Hangul font, FFmpeg) come from Debian's apt-get when run as root; otherwise the
# script says what to install and carries on.
set -euo pipefail
cd "$(dirname "$0")/.."

VENVS=.venvs
UV_VERSION=0.13.9
ENVS=(main xla text)
# Debian packages: Korean font for figures and the website; FFmpeg's shared libraries for
# torchaudio.load/save; Chromium for the browser tests (tests/browser); bubblewrap, the sandbox that
# `course grade` runs a student's kernel in; real data for chapters 06 and 07 (data/README.md):
# the full Fashion-MNIST and the Asterisk speech prompts.
DATA_PACKAGES=(dataset-fashion-mnist asterisk-core-sounds-en-wav)
# g++: torch.compile's inductor and AOTInductor compile the C++ they generate (chapter 10).
APT_PACKAGES=(fonts-nanum ffmpeg chromium bubblewrap g++ "${DATA_PACKAGES[@]}")
# A machine that brings its own browser (Ubuntu's chromium is a snap shim; GitHub's runners have Chrome)
# names it in COURSE_CHROMIUM, and setup leaves Chromium out.
[[ -n "${COURSE_CHROMIUM:-}" ]] && APT_PACKAGES=(fonts-nanum ffmpeg bubblewrap g++ "${DATA_PACKAGES[@]}")
# Node.js and npm run JupyterHub's proxy (`make hub`); a machine with its own Node.js (NodeSource, nvm) keeps it.
command -v node >/dev/null && command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
# Debian's Python makes the uv tool's environment with `python3.11 -m venv`, which is python3.11-venv.
if [[ -z "${PYTHON:-}" && -x /usr/bin/python3.11 ]]; then APT_PACKAGES+=(python3.11-venv); fi
PROXY_VERSION=$(sed -n 's/.*"configurable-http-proxy": "\(.*\)".*/\1/p' env/proxy/package.json)

say() { printf '[setup] %s\n' "$*"; }

# The stamp is a hash of everything that decides what gets installed; same hash = nothing to do.
stamp_of() { cat scripts/setup.sh pyproject.toml env/*.lock env/proxy/package*.json grader/kernels.toml grader/kernels.py | sha256sum | cut -c1-16; }
STAMP="$VENVS/.stamp-$(stamp_of)"
if [[ -z "${FORCE:-}" && -f "$STAMP" ]]; then
  say "environments up to date / 환경이 이미 준비되어 있습니다 ($STAMP)"
  exit 0
fi

start=$(date +%s)

# --- 1. System packages -------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "WARNING: missing system packages: ${missing[*]}"
    say "  시스템 패키지가 없습니다. 관리자 권한으로 설치하세요 / install them as an administrator:"
    say "    sudo apt-get install ${missing[*]}      (Debian/Ubuntu)"
    say "    conda install -c conda-forge ffmpeg     (conda; fonts: any Hangul font such as NanumGothic)"
    say "  Without a Hangul font, Korean labels in figures show as boxes; without FFmpeg,"
    say "  torchaudio.load/save raise ImportError; without g++, torch.compile fails (chapter 10);"
    say "  without Chromium the browser tests are skipped;"
    say "  without bubblewrap, grading runs with resource limits only (no filesystem sandbox), and"
    say "  \`course grade --json\` reports it; without ${DATA_PACKAGES[*]}, chapters 06 and 07 stop"
    say "  at their first cell with a message naming the package (data/README.md); without nodejs and npm,"
    say "  \`make hub\` has no proxy (install Node.js >= 18 any way you can, then run \`make setup\` again)."
    say "  Everything else works."
  fi
fi

# --- 2. uv, the installer (one shared cache for all three environments) ----------------------------
# The environments' base Python must be one every account can run: `make hub` starts each learner's
# server as that learner, and a pyenv or uv Python under /root (0700) runs for root only. So the
# system's /usr/bin/python3.11 comes first (Debian 12); PYTHON=/path/to/python3.11 picks another.
PY=${PYTHON:-$(for p in /usr/bin/python3.11 "$(command -v python3.11)" "$(command -v python3)"; do
  [[ -n "$p" && -x "$p" ]] && { echo "$p"; break; }; done)}
if [[ ! -x "$VENVS/tools/bin/uv" ]] || [[ "$("$VENVS/tools/bin/uv" --version)" != "uv $UV_VERSION"* ]]; then
  say "installing uv $UV_VERSION"
  "$PY" -m venv "$VENVS/tools"
  "$VENVS/tools/bin/pip" install -q "uv==$UV_VERSION"
fi
UV="$VENVS/tools/bin/uv"
export UV_PYTHON_DOWNLOADS=never

# --- 3. The environments, synced exactly to their lock files --------------------------------------
for env in "${ENVS[@]}"; do
  t0=$(date +%s)
  # An environment made from another base Python (PYTHON= changed, or an older setup) is made again.
  if [[ -x "$VENVS/$env/bin/python" ]] && [[ "$("$VENVS/$env/bin/python" -c 'import sys; print(sys.base_prefix)')" \
        != "$("$PY" -c 'import sys; print(sys.base_prefix)')" ]]; then
    say "$env: rebuilding on $PY"
    rm -rf "${VENVS:?}/$env"
  fi
  [[ -x "$VENVS/$env/bin/python" ]] || "$UV" venv -q --python "$PY" "$VENVS/$env"
  # --compile-bytecode: write every .pyc now. Machines that set PYTHONDONTWRITEBYTECODE=1 (CI does)
  # would otherwise recompile torch's Python on every kernel start: seconds per notebook and grade.
  "$UV" pip sync -q --compile-bytecode --python "$VENVS/$env/bin/python" "env/$env.lock"
  # The course tool (grader) is importable in every kernel: its visible-test helpers are stdlib-only.
  "$UV" pip install -q --python "$VENVS/$env/bin/python" --no-deps -e .
  say "$env: $(($(date +%s) - t0)) s"
done

# --- 4. Kernels, registered inside the main environment, where its jupyter and papermill look -----
"$VENVS/main/bin/python" -m grader.kernels install

# --- 5. JupyterHub's proxy (configurable-http-proxy) from npm, exactly as env/proxy/package-lock.json pins it
NODE_DIR="$VENVS/node"
if [[ "$("$NODE_DIR/node_modules/.bin/configurable-http-proxy" --version 2>/dev/null)" != "$PROXY_VERSION" ]] \
   || ! cmp -s env/proxy/package-lock.json "$NODE_DIR/package-lock.json"; then
  if command -v npm >/dev/null; then
    mkdir -p "$NODE_DIR"
    cp env/proxy/package.json env/proxy/package-lock.json "$NODE_DIR/"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    say "configurable-http-proxy $PROXY_VERSION (npm) in $NODE_DIR"
  else
    say "WARNING: npm is missing, so \`make hub\` has no proxy / npm이 없어 \`make hub\`를 쓸 수 없습니다:"
    say "    sudo apt-get install nodejs npm      (Debian/Ubuntu; or Node.js >= 18 from nodejs.org), then make setup"
  fi
fi

# --- 6. matplotlib: rebuild the font cache so a freshly installed Hangul font is found ------------
for env in "${ENVS[@]}"; do
  MPLCONFIGDIR="$PWD/$VENVS/$env/.matplotlib" "$VENVS/$env/bin/python" -c \
    "import matplotlib.font_manager as fm; fm._load_fontmanager(try_read_cache=False)" 2>/dev/null || true
done

rm -f "$VENVS"/.stamp-*
touch "$STAMP"
say "done in $(($(date +%s) - start)) s / 완료"
