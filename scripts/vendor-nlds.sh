#!/usr/bin/env bash
# Vendor the NL Design System component CSS into static/vendor/utrecht/.
#
# The built CSS is committed, so running the portal needs only Python; this script only
# reproduces it (or upgrades it: change the version below, run it, look at the pages, commit).
# It fetches the published package tarball with `npm pack` (npm checks the registry's
# integrity hash) into a temporary folder and copies the files the portal serves.
#
# Not vendored: @utrecht/design-tokens. Its LICENSE.md says the tokens are proprietary assets
# of Gemeente Utrecht, outside the open source licence. The portal's own design tokens are in
# static/css/theme.css instead (see docs/theming.md).
#
# Usage: scripts/vendor-nlds.sh   (or: make vendor-css)
set -euo pipefail

COMPONENT_LIBRARY_VERSION="9.0.4"   # @utrecht/component-library-css, EUPL-1.2

cd "$(dirname "$0")/.."
destination="static/vendor/utrecht"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "==> Fetching @utrecht/component-library-css@${COMPONENT_LIBRARY_VERSION} from the npm registry"
tarball="$(cd "$work" && npm pack --silent "@utrecht/component-library-css@${COMPONENT_LIBRARY_VERSION}")"
tar -xzf "$work/$tarball" -C "$work"
package="$work/package"

version="$(node -p "require('$package/package.json').version")"
licence="$(node -p "require('$package/package.json').license")"
if [ "$version" != "$COMPONENT_LIBRARY_VERSION" ] || [ "$licence" != "EUPL-1.2" ]; then
    echo "Unexpected package: version $version, licence $licence" >&2
    exit 1
fi

echo "==> Copying the built CSS and the licence into $destination"
mkdir -p "$destination"
# index.css: every component (.utrecht-button, .utrecht-table, ...), styled only through
# --utrecht-* custom properties. html.css: the "HTML content" component (.utrecht-html), which
# styles class-less HTML such as the Markdown the portal renders.
install -m 644 "$package/dist/index.css" "$destination/component-library.css"
install -m 644 "$package/dist/html.css" "$destination/html-content.css"
install -m 644 "$package/LICENSE.md" "$destination/LICENSE.md"

(cd "$destination" && sha256sum component-library.css html-content.css LICENSE.md)
echo "==> Done. Record the version in $destination/README.md if it changed."
