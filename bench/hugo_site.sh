#!/usr/bin/env bash
# A Hugo site with the same notices as the gongkai site SITE and a minimal theme of
# the same page kinds, written to HUGO_SITE.
#
#     bash bench/hugo_site.sh SITE HUGO_SITE
set -euo pipefail
site=$1
h=$2
mkdir -p "$h/layouts/_default" "$h/content"
cp -r "$site/content/notices" "$h/content/"
cat > "$h/hugo.yaml" <<'YAML'
baseURL: https://bench.example.org/
title: bench
languageCode: zh-Hans
# As a Chinese site would be set up: summaries counted in characters, feeds of 50
# entries (gongkai's feeds carry 50 too).
hasCJKLanguage: true
services: {rss: {limit: 50}}
disableKinds: []
paginate: 20
taxonomies: {issuer: issuer, genre: genre, form: form, topic: topics}
markup: {goldmark: {renderer: {unsafe: false}}}
YAML
cat > "$h/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
HTML
cat > "$h/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<table>{{ with .Params.doc_number }}<tr><th>发文字号</th><td>{{ . }}</td></tr>{{ end }}<tr><th>发文机关</th><td>{{ .Params.issuer }}</td></tr><tr><th>发布日期</th><td>{{ .Params.published }}</td></tr></table><h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
HTML
cat > "$h/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.doc_number }}</li>{{ end }}</ol>{{ template "_internal/pagination.html" . }}{{ end }}
HTML
cp "$h/layouts/_default/list.html" "$h/layouts/_default/terms.html"
