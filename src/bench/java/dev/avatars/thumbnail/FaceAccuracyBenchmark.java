package dev.avatars.thumbnail;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.avatars.TestFaces;
import dev.avatars.TestImages;

/**
 * How often the face-aware crop frames the face, and how often it crops on something that is not one: the
 * labelled set of {@code docs/faces/labels.txt}, rendered as the job does. A picture with faces counts as framed
 * when the square kept holds the largest hand-drawn face whole and that face covers at least 8% of it, or (a
 * group) holds every hand-drawn face whole and the box around them covers at least 8% of it; a picture without
 * counts as a false crop when any square but the centre one is kept.
 *
 * <pre>
 * java ... FaceAccuracyBenchmark docs/faces/labels.txt CORPUS_DIR
 * </pre>
 */
public final class FaceAccuracyBenchmark {

	private static final double MIN_SHARE = 0.08;

	private FaceAccuracyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path labels = Path.of(args[0]);
		Path corpus = Path.of(args[1]);
		Thumbnailer thumbnailer = new Thumbnailer(List.of(256, 128, 64), 0.85f, Thumbnailer.Engine.AUTO, 40_000_000,
				true, Thumbnailer.CropMode.FACE);
		System.out.println("engine: " + thumbnailer.description());
		Path dir = Files.createTempDirectory("face-accuracy");
		int with = 0;
		int framed = 0;
		int found = 0;
		int without = 0;
		int falseCrops = 0;
		for (String line : Files.readAllLines(labels)) {
			String[] f = line.trim().split("\\s+");
			if (line.isBlank() || f[0].startsWith("#")) {
				continue;
			}
			if (f[0].equals("with")) {
				int width = Integer.parseInt(f[2]);
				int height = Integer.parseInt(f[3]);
				int orientation = Integer.parseInt(f[4]);
				TestFaces picture = background(f[5], width, height);
				for (int i = 6; i < f.length; i++) {
					String[] p = f[i].split(":");
					picture.with(TestFaces.Portrait.valueOf(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
							Integer.parseInt(p[3]));
				}
				TestFaces.Composed composed = picture.done();
				Framing framing = render(thumbnailer, composed.image(), orientation, dir);
				Rectangle face = largest(composed.faces());
				Rectangle group = composed.faces().stream().reduce(Rectangle::union).orElseThrow();
				Rectangle square = framing.square().in(width, height);
				double share = share(face, square);
				boolean ok = framing.kind() == Framing.Kind.FACE && ((square.contains(face) && share >= MIN_SHARE)
						|| (square.contains(group) && share(group, square) >= MIN_SHARE));
				share = Math.max(share, square.contains(group) ? share(group, square) : 0);
				with++;
				framed += ok ? 1 : 0;
				found += (framing.kind() == Framing.Kind.FACE) ? 1 : 0;
				System.out.printf(Locale.ROOT, "with    %-22s %-6s faces=%d face_share=%.2f %s%n", f[1],
						framing.kind(), framing.faces(), share, ok ? "framed" : "NOT framed");
			}
			else {
				for (NamedPicture picture : withoutFaces(f[1], f[2], corpus)) {
					Framing framing = picture.file() != null ? thumbnailer.render(picture.file(), null, false).framing()
							: render(thumbnailer, picture.image(), 1, dir);
					boolean falseCrop = framing.kind() != Framing.Kind.CENTRE;
					without++;
					falseCrops += falseCrop ? 1 : 0;
					System.out.printf(Locale.ROOT, "without %-22s %-6s faces=%d %s%n", picture.name(), framing.kind(),
							framing.faces(), falseCrop ? "FALSE CROP" : "centre");
				}
			}
		}
		System.out.printf(Locale.ROOT, "RESULT faces with=%d found=%d framed=%d without=%d false_crops=%d%n", with, found,
				framed, without, falseCrops);
	}

	private record NamedPicture(String name, Path file, BufferedImage image) {
	}

	private static TestFaces background(String kind, int width, int height) {
		return switch (kind) {
			case "landscape" -> TestFaces.landscape(width, height);
			case "none", "grey" -> TestFaces.on(TestImages.solid(width, height, new Color(128, 128, 128)));
			case "noise" -> TestFaces.on(TestImages.noise(width, height));
			default -> throw new IllegalArgumentException("background " + kind);
		};
	}

	private static List<NamedPicture> withoutFaces(String name, String source, Path corpus) throws Exception {
		String[] s = source.split(":");
		return switch (s[0]) {
			case "corpus" -> {
				try (Stream<Path> files = Files.list(corpus)) {
					yield files.filter((file) -> file.getFileName().toString().endsWith(".jpg"))
						.sorted()
						.map((file) -> new NamedPicture(file.getFileName().toString(), file, null))
						.toList();
				}
			}
			case "plain" -> List.of(new NamedPicture(name, null, TestImages.solid(Integer.parseInt(s[1]),
					Integer.parseInt(s[2]), new Color(Integer.parseInt(s[3]), Integer.parseInt(s[4]),
							Integer.parseInt(s[5])))));
			case "noise" -> List.of(new NamedPicture(name, null,
					TestImages.noise(Integer.parseInt(s[1]), Integer.parseInt(s[2]))));
			case "landscape" -> List.of(new NamedPicture(name, null,
					TestFaces.landscape(Integer.parseInt(s[1]), Integer.parseInt(s[2])).done().image()));
			default -> throw new IllegalArgumentException("source " + source);
		};
	}

	private static Framing render(Thumbnailer thumbnailer, BufferedImage upright, int orientation, Path dir)
			throws Exception {
		BufferedImage stored = switch (orientation) {
			case 1 -> upright;
			case 6 -> Orientation.ROTATE_90_CCW.apply(upright);
			case 8 -> Orientation.ROTATE_90_CW.apply(upright);
			default -> throw new IllegalArgumentException("orientation " + orientation);
		};
		byte[] jpeg = TestImages.encode(stored, "jpg");
		Path file = Files.write(Files.createTempFile(dir, "face", ".jpg"),
				(orientation == 1) ? jpeg : TestImages.withExifOrientation(jpeg, orientation));
		try {
			return thumbnailer.render(file, null, false).framing();
		}
		finally {
			Files.delete(file);
		}
	}

	private static double share(Rectangle box, Rectangle square) {
		return (double) box.width * box.height / ((double) square.width * square.height);
	}

	private static Rectangle largest(List<Rectangle> faces) {
		Rectangle largest = faces.get(0);
		for (Rectangle face : new ArrayList<>(faces)) {
			if ((long) face.width * face.height > (long) largest.width * largest.height) {
				largest = face;
			}
		}
		return largest;
	}

}
