#!/usr/bin/env bash
# SAM checks: `sam validate --lint` and a real `sam build` (esbuild, no container), with a pinned
# SAM CLI installed into a git-ignored virtualenv. Used by .ci/run and `npm run check:sam`.
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

echo "check-sam: sam build (build_in_source, esbuild)"
rm -rf .aws-sam
"$VENV/bin/sam" build --template template.yaml

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

# SAM's build-in-source step runs `npm update --omit=dev` in the project, which prunes the
# dev dependencies from node_modules; put the locked tree back so the workspace stays usable.
echo "check-sam: restoring node_modules from package-lock.json"
npm ci --no-audit --no-fund --loglevel=error >/dev/null

exit $status
