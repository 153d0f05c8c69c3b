#!/usr/bin/env bash
# Refreshes server/assets/graphiql/ from the @graphql-yoga/graphiql package (MIT), so GraphiQL
# loads from the server itself, offline. The files are kept gzipped (served as they are to
# browsers, which all accept gzip). Installing the package as a dependency is not an option: it
# pins graphql 17 and React, and npm then hoists graphql 15 over the server's graphql 16.
set -euo pipefail
VERSION="${1:-4.5.0}"
cd "$(dirname "$0")/.."
target=server/assets/graphiql
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "@graphql-yoga/graphiql@$VERSION" --silent >/dev/null && tar xzf ./*.tgz)
rm -rf "$target" && mkdir -p "$target"
for file in yoga-graphiql.umd.js graphiql.css monacoeditorwork/editor.worker.bundle.js monacoeditorwork/json.worker.bundle.js "monacoeditorwork/graphql.worker..bundle.js"; do
  name=$(basename "$file" | sed 's/\.\./\./')
  gzip -9 -n -c "$work/package/dist/$file" > "$target/$name.gz"
done
cp "$work/package/LICENSE" "$target/LICENSE" 2>/dev/null || echo "MIT License — @graphql-yoga/graphiql $VERSION (The Guild)" > "$target/LICENSE"
echo "@graphql-yoga/graphiql $VERSION" > "$target/VERSION"
ls -la "$target"
