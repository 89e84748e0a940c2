package dev.avatars.thumbnail;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.avatars.TestImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both paths against the truth: a smooth picture whose every pixel says where it is (red grows to the right,
 * green downwards), stored in each of the eight EXIF orientations and cropped three ways. The crops make the
 * fast path decode at 1/8, 1/4 and 1/2.
 */
class RenderGeometryTests {

	private static final int WIDTH = 800;

	private static final int HEIGHT = 600;

	private static final int SIZE = 64;

	private static final Crop[] CROPS = { null, new Crop(0.55, 0.4, 0.5), new Crop(0.05, 0.6, 0.3) };

	@TempDir
	Path dir;

	static List<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
			for (int orientation = 1; orientation <= 8; orientation++) {
				for (Crop crop : CROPS) {
					cases.add(Arguments.of(engine, orientation, crop));
				}
			}
		}
		return cases;
	}

	@ParameterizedTest(name = "{0}, orientation {1}, crop {2}")
	@MethodSource("cases")
	void theThumbnailShowsTheChosenSquareOfTheUprightPicture(Thumbnailer.Engine engine, int orientation, Crop crop)
			throws Exception {
		BufferedImage upright = gradient();
		BufferedImage stored = inverse(Orientation.values()[orientation - 1]).apply(upright);
		Path file = Files.write(this.dir.resolve("o" + orientation + ".jpg"),
				TestImages.withExifOrientation(TestImages.encode(stored, "jpg"), orientation));

		Thumbnail thumbnail = new Thumbnailer(List.of(SIZE), 0.9f, engine, 40_000_000).render(file, crop).get(0);

		BufferedImage image = ThumbnailerTests.decode(thumbnail);
		assertThat(image.getWidth()).isEqualTo(SIZE);
		assertThat(image.getHeight()).isEqualTo(SIZE);
		Rectangle square = Crop.square(crop, WIDTH, HEIGHT);
		for (int py : new int[] { 4, 32, 59 }) {
			for (int px : new int[] { 4, 32, 59 }) {
				double ux = square.x + (px + 0.5) * square.width / SIZE;
				double uy = square.y + (py + 0.5) * square.height / SIZE;
				Color actual = new Color(image.getRGB(px, py));
				assertThat(actual.getRed()).as("red at %d,%d", px, py).isCloseTo(red(ux), within(10));
				assertThat(actual.getGreen()).as("green at %d,%d", px, py).isCloseTo(green(uy), within(10));
			}
		}
	}

	private static org.assertj.core.data.Offset<Integer> within(int value) {
		return org.assertj.core.data.Offset.offset(value);
	}

	private static BufferedImage gradient() {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < HEIGHT; y++) {
			for (int x = 0; x < WIDTH; x++) {
				image.setRGB(x, y, new Color(red(x + 0.5), green(y + 0.5), 96).getRGB());
			}
		}
		return image;
	}

	private static int red(double x) {
		return (int) Math.round(255 * x / WIDTH);
	}

	private static int green(double y) {
		return (int) Math.round(255 * y / HEIGHT);
	}

	/** The orientation that undoes this one: the two quarter turns swap, the rest undo themselves. */
	private static Orientation inverse(Orientation orientation) {
		return switch (orientation) {
			case ROTATE_90_CW -> Orientation.ROTATE_90_CCW;
			case ROTATE_90_CCW -> Orientation.ROTATE_90_CW;
			default -> orientation;
		};
	}

}
