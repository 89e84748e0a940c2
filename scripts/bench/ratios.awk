# Reads the RESULT lines of scripts/bench.sh (one per configuration and round) and prints medians, peak RSS and
# the engine's ratios to the anchors as Markdown tables.
/^RESULT (engine|anchor|rss)/ {
  delete f
  for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  if ($2 == "rss") {
    key = f["engine"] "-" f["workers"]
    if (f["peak_rss_mb"] + 0 > rss[key] + 0) rss[key] = f["peak_rss_mb"]
    next
  }
  key = ("engine" in f) ? f["engine"] "-" f["workers"] : f["anchor"] "-" f["processes"]
  k = f["class"] "," key
  values[k] = (k in values) ? values[k] " " f["images_per_s"] : f["images_per_s"]
}
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function r(c, k) { return ((c "," k) in values) ? median(values[c "," k]) : 0 }
function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "–" }
function show(v) { return (v > 0) ? sprintf("%.1f", v) : "–" }
END {
  print ""
  print "| class | ours, 1 worker | ours, 2 | pure Java, 1 | pure Java, 2 | vips ×1 | vips ×2 | Pillow ×1 | Pillow ×2 | ours 2 vs best ×2 | ours 1 vs vips ×1 | pure Java 2 vs vips ×2 |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  n = split("02mp 12mp 24mp", order, " ")
  for (i = 1; i <= n; i++) {
    c = order[i]
    best2 = r(c, "vipsthumbnail-2") > r(c, "pillow-draft-2") ? r(c, "vipsthumbnail-2") : r(c, "pillow-draft-2")
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, show(r(c, "auto-1")),
      show(r(c, "auto-2")), show(r(c, "java-1")), show(r(c, "java-2")), show(r(c, "vipsthumbnail-1")),
      show(r(c, "vipsthumbnail-2")), show(r(c, "pillow-draft-1")), show(r(c, "pillow-draft-2")),
      ratio(r(c, "auto-2"), best2), ratio(r(c, "auto-1"), r(c, "vipsthumbnail-1")),
      ratio(r(c, "java-2"), r(c, "vipsthumbnail-2"))
  }
  print ""
  print "| peak RSS, MB (-Xmx256m) | 1 worker | 2 workers |"
  print "|---|---:|---:|"
  printf "| fast path | %s | %s |\n", rss["auto-1"], rss["auto-2"]
  printf "| pure Java | %s | %s |\n", rss["java-1"], rss["java-2"]
  print ""
}
