#!/usr/bin/env bash
# Vendor the Leaflet plugins the maps use into static/vendor/.
#
# The files are committed, so running the portal needs only Python; this script only
# reproduces them (or upgrades them: change the version below, run it, look at the maps,
# commit). Leaflet itself comes from django-leaflet's static files (leaflet/leaflet.js, 1.9).
# It fetches the published package tarball with `npm pack` (npm checks the registry's
# integrity hash) into a temporary folder and copies the files the portal serves.
#
# Usage: scripts/vendor-leaflet-plugins.sh   (or: make vendor-js)
set -euo pipefail

MARKERCLUSTER_VERSION="1.5.3"   # leaflet.markercluster, MIT

cd "$(dirname "$0")/.."
destination="static/vendor/leaflet.markercluster"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "==> Fetching leaflet.markercluster@${MARKERCLUSTER_VERSION} from the npm registry"
tarball="$(cd "$work" && npm pack --silent "leaflet.markercluster@${MARKERCLUSTER_VERSION}")"
tar -xzf "$work/$tarball" -C "$work"
package="$work/package"

version="$(node -p "require('$package/package.json').version")"
licence="$(node -p "require('$package/package.json').license")"
if [ "$version" != "$MARKERCLUSTER_VERSION" ] || [ "$licence" != "MIT" ]; then
    echo "Unexpected package: version $version, licence $licence" >&2
    exit 1
fi

echo "==> Copying the built plugin, its styles and the licence into $destination"
mkdir -p "$destination"
# The minified build (L.markerClusterGroup) and its two style sheets: MarkerCluster.css lays
# out the clusters and their animation, MarkerCluster.Default.css colours the cluster icons.
install -m 644 "$package/dist/leaflet.markercluster.js" "$destination/leaflet.markercluster.js"
# The script names its source map; collectstatic's manifest storage (the Docker image) fails
# on a named map that is not there, so it comes along.
install -m 644 "$package/dist/leaflet.markercluster.js.map" "$destination/leaflet.markercluster.js.map"
install -m 644 "$package/dist/MarkerCluster.css" "$destination/MarkerCluster.css"
install -m 644 "$package/dist/MarkerCluster.Default.css" "$destination/MarkerCluster.Default.css"
install -m 644 "$package/MIT-LICENCE.txt" "$destination/LICENSE.txt"

(cd "$destination" && sha256sum leaflet.markercluster.js leaflet.markercluster.js.map MarkerCluster.css MarkerCluster.Default.css LICENSE.txt)
echo "==> Done. Record the version in $destination/README.md if it changed."
