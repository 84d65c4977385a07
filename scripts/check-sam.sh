#!/usr/bin/env bash
# SAM checks: `sam validate --lint` and a real `sam build` (esbuild, no container), with a pinned
# SAM CLI installed into a git-ignored virtualenv. Used by .ci/run, buildspec.yml and `npm run check:sam`.
# `sam build` must leave the project as it found it (every function's CodeUri is functions/, which has
# no package.json, so SAM bundles with the project's esbuild and never runs npm): the check fails if
# the build added, removed or rewrote any file outside .aws-sam/, node_modules included.
set -euo pipefail
cd "$(dirname "$0")/.."

SAM_VERSION="1.170.0"
VENV=".venv-sam"
export SAM_CLI_TELEMETRY=0

if [ ! -x "$VENV/bin/sam" ] || ! "$VENV/bin/sam" --version | grep -q "$SAM_VERSION"; then
  echo "check-sam: installing aws-sam-cli==$SAM_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-sam-cli==$SAM_VERSION"
fi

echo "check-sam: sam validate --lint"
"$VENV/bin/sam" validate --lint --template template.yaml
"$VENV/bin/sam" validate --lint --template probe-region.yaml

# Every folder of the project, and every file with its size and modification time, outside what the
# build and its tools own (.aws-sam, the virtualenvs, whose Python writes __pycache__) and the local
# cloud's state (.kumo). Folders without their times: creating .aws-sam touches the project folder.
# No git here: CodeBuild's source is a zip without .git.
snapshot() {
  find . \( -path ./.aws-sam -o -path ./.git -o -path './.venv-*' -o -path ./.kumo \) -prune \
    -o -type d -printf '%P/\n' -o -printf '%P\t%s\t%T@\n' | LC_ALL=C sort
}
before=$(mktemp)
after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT

echo "check-sam: sam build (esbuild from the project's node_modules, no npm)"
rm -rf .aws-sam
snapshot >"$before"
"$VENV/bin/sam" build --template template.yaml
snapshot >"$after"

# Every function must come out as one bundle with a source map.
status=0
for dir in .aws-sam/build/*/; do
  name=$(basename "$dir")
  # A layer (SharpLayer) holds nodejs/node_modules, not a bundle.
  if [ -d "${dir}nodejs" ]; then continue; fi
  if ! ls "$dir"*.js >/dev/null 2>&1; then
    echo "check-sam: $name has no bundle" >&2
    status=1
  fi
done

# A function whose CodeUri holds a package.json makes SAM run `npm update --omit=dev` (build_in_source)
# or `npm install` in it: in the project root that prunes the dev dependencies and moves transitive
# versions off the lock, and `npm start` / `npm test` break until `npm ci`.
if ! cmp -s "$before" "$after"; then
  changed=$(diff "$before" "$after" | grep -E '^[<>]' | cut -f1 | sed -E 's/^[<>] //' | LC_ALL=C sort -u || true)
  echo "check-sam: sam build changed the working tree ($(wc -l <<<"$changed") paths), for example:" >&2
  head -n 20 <<<"$changed" | sed 's/^/  /' >&2
  echo "check-sam: a function's CodeUri must be a folder without package.json (functions/), so that" >&2
  echo "check-sam: SAM never runs npm in the project; run \`npm ci\` to restore node_modules" >&2
  status=1
else
  echo "check-sam: working tree and node_modules unchanged by sam build"
fi

exit $status
