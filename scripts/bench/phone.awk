# Medians of scripts/bench/phone.sh's RESULT lines, and the engine's ratio to the better anchor, as Markdown.
/^RESULT variant=/ {
  delete f
  for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  who = ("engine" in f) ? "ours" : f["anchor"]
  k = f["variant"] "," f["class"] "," who
  values[k] = (k in values) ? values[k] " " f["images_per_s"] : f["images_per_s"]
  if ("cpu_ms_per_image" in f) cpu[k] = (k in cpu) ? cpu[k] " " f["cpu_ms_per_image"] : f["cpu_ms_per_image"]
}
function cpuof(v, cl, w) { return ((v "," cl "," w) in cpu) ? median(cpu[v "," cl "," w]) : 0 }
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function r(v, c, w) { return ((v "," c "," w) in values) ? median(values[v "," c "," w]) : 0 }
function show(x) { return (x > 0) ? sprintf("%.1f", x) : "–" }
END {
  print ""
  print "| photos, 2 workers / processes | class | ours | vipsthumbnail ×2 | Pillow draft ×2 | ours vs the better |"
  print "|---|---|---:|---:|---:|---:|"
  nv = split("untagged-base untagged p3 adobe-rgb progressive", variants, " ")
  nc = split("02mp 12mp 24mp", classes, " ")
  for (i = 1; i <= nv; i++) for (j = 1; j <= nc; j++) {
    v = variants[i]; c = classes[j]
    if (r(v, c, "ours") == 0) continue
    vips = r(v, c, "vipsthumbnail"); pil = r(v, c, "pillow-draft"); best = (vips > pil) ? vips : pil
    printf "| %s | %s | %s | %s | %s | %s |\n", v, c, show(r(v, c, "ours")), show(vips), show(pil),
      (best > 0) ? sprintf("%.2f×", r(v, c, "ours") / best) : "–"
  }
  print ""
  print "| photos | class | ours, CPU ms/image | vipsthumbnail | Pillow draft | ours vs the better, by CPU time |"
  print "|---|---|---:|---:|---:|---:|"
  for (i = 1; i <= nv; i++) for (j = 1; j <= nc; j++) {
    v = variants[i]; cl = classes[j]
    if (cpuof(v, cl, "ours") == 0) continue
    vips = cpuof(v, cl, "vipsthumbnail"); pil = cpuof(v, cl, "pillow-draft")
    best = (vips > 0 && (pil == 0 || vips < pil)) ? vips : pil
    printf "| %s | %s | %.1f | %s | %s | %s |\n", v, cl, cpuof(v, cl, "ours"), (vips > 0) ? sprintf("%.1f", vips) : "–",
      (pil > 0) ? sprintf("%.1f", pil) : "–", (best > 0) ? sprintf("%.2f×", best / cpuof(v, cl, "ours")) : "–"
  }
  print ""
}
