#!/usr/bin/env bash
# Static checks of the CloudFormation templates (the application and the pipeline):
#   cfn-lint  - zero errors and zero warnings; an accepted one is suppressed in the template itself
#               (Metadata: cfn-lint: config: ignore_checks) with a comment saying why;
#   checkov   - zero failed checks; an accepted one is suppressed in the resource's
#               Metadata: checkov: skip: [{id, comment}] with the reason.
# Both are pinned and installed into a git-ignored virtualenv of their own (checkov's dependencies do
# not mix with the SAM CLI's in .venv-sam). Used by .ci/run, buildspec.yml and `npm run check:static`.
set -euo pipefail
cd "$(dirname "$0")/.."

CFN_LINT_VERSION="1.58.0"
CHECKOV_VERSION="3.3.30"
VENV="${STATIC_VENV:-.venv-static}"
TEMPLATES=(template.yaml probe-region.yaml pipeline/template.yaml)

installed() {
  [ -x "$VENV/bin/cfn-lint" ] && [ -x "$VENV/bin/checkov" ] &&
    "$VENV/bin/cfn-lint" --version | grep -q "$CFN_LINT_VERSION" &&
    "$VENV/bin/checkov" --version | grep -q "$CHECKOV_VERSION"
}

if ! installed; then
  echo "check-static: installing cfn-lint==$CFN_LINT_VERSION checkov==$CHECKOV_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "cfn-lint==$CFN_LINT_VERSION" "checkov==$CHECKOV_VERSION"
fi

status=0
for template in "${TEMPLATES[@]}"; do
  echo "check-static: cfn-lint $template"
  # Any finding (error, warning or informational) fails the check.
  if ! "$VENV/bin/cfn-lint" --format parseable -- "$template"; then status=1; fi
done

for template in "${TEMPLATES[@]}"; do
  echo "check-static: checkov $template"
  # --skip-download: no calls to the vendor's API (CI has no network beyond the package registries).
  if ! "$VENV/bin/checkov" --file "$template" --framework cloudformation --skip-download \
    --compact --quiet --output cli; then
    status=1
  fi
done

if [ "$status" -eq 0 ]; then echo "check-static: ok (cfn-lint and checkov clean on ${TEMPLATES[*]})"; fi
exit $status
