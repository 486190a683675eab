#!/usr/bin/env bash
# Vendor Chart.js (MIT) into console/static/vendor/chart.js-<version>/ from the npm registry:
# the UMD build and its licence, checked against the registry's integrity hash. No CDN: the
# console serves it itself and works offline. To upgrade, change VERSION and INTEGRITY (from
# `npm view chart.js@<version> dist.integrity`), run `make vendor-chartjs`, and update the
# <script> path in console/templates/dashboard.html.
set -euo pipefail
VERSION=4.6.1
INTEGRITY="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$ROOT/console/static/vendor/chart.js-$VERSION"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "chart.js@$VERSION" >/dev/null
TARBALL="chart.js-$VERSION.tgz"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$ACTUAL" != "$INTEGRITY" ]]; then
  echo "chart.js@$VERSION: integrity mismatch ($ACTUAL)" >&2
  exit 1
fi
tar xzf "$TARBALL"
mkdir -p "$TARGET"
# Without the source-map comment: the map is not vendored.
sed '/^\/\/# sourceMappingURL=/d' package/dist/chart.umd.min.js >"$TARGET/chart.umd.min.js"
cp package/LICENSE.md "$TARGET/LICENSE.md"
cat >"$TARGET/VENDORED.md" <<NOTE
Chart.js $VERSION (MIT, see LICENSE.md), from the npm registry tarball chart.js-$VERSION.tgz
($INTEGRITY): dist/chart.umd.min.js without its sourceMappingURL line, and LICENSE.md.
Made by scripts/vendor_chartjs.sh (\`make vendor-chartjs\`).
NOTE
echo "vendored chart.js $VERSION into ${TARGET#"$ROOT"/}"
