# Reads the RESULT lines of scripts/bench.sh and prints the engine against the anchors as a Markdown table.
/^RESULT (engine|anchor)=/ {
  delete f
  for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  key = ("engine" in f) ? f["engine"] "-" f["workers"] : f["anchor"] "-" f["processes"]
  rate[f["class"] "," key] = f["images_per_s"]
  classes[f["class"]] = 1
}
function r(c, k) { return ((c "," k) in rate) ? rate[c "," k] : 0 }
function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "–" }
function show(v) { return (v > 0) ? v : "–" }
END {
  print ""
  print "| class | ours, 1 worker | ours, 2 | pure Java, 2 | vips ×1 | vips ×2 | Pillow ×1 | Pillow ×2 | ours 2 vs best ×2 | ours 1 vs vips ×1 | pure Java 2 vs vips ×2 |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  n = split("02mp 12mp 24mp", order, " ")
  for (i = 1; i <= n; i++) {
    c = order[i]
    if (!(c in classes)) continue
    best2 = r(c, "vipsthumbnail-2") > r(c, "pillow-draft-2") ? r(c, "vipsthumbnail-2") : r(c, "pillow-draft-2")
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, show(r(c, "auto-1")), show(r(c, "auto-2")),
      show(r(c, "java-2")), show(r(c, "vipsthumbnail-1")), show(r(c, "vipsthumbnail-2")), show(r(c, "pillow-draft-1")),
      show(r(c, "pillow-draft-2")), ratio(r(c, "auto-2"), best2), ratio(r(c, "auto-1"), r(c, "vipsthumbnail-1")),
      ratio(r(c, "java-2"), r(c, "vipsthumbnail-2"))
  }
  print ""
}
