package dev.avatars.thumbnail;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.avatars.TestFaces;
import dev.avatars.TestFaces.Composed;
import dev.avatars.TestFaces.Portrait;
import dev.avatars.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Face-aware crops on real faces placed where the centre square misses them: the face drawn by hand lies inside
 * the square kept and fills a good share of it; pictures without a face keep the centre square.
 */
class FaceCropTests {

	private static final List<Integer> SIZES = List.of(256, 128, 64);

	/** A head-and-shoulders square is about 2.6 face widths: the face fills about 15% of it. */
	private static final double MIN_SHARE = 0.08;

	private static Thumbnailer faces;

	@TempDir
	Path dir;

	@BeforeAll
	static void nativeLibrary() {
		assumeTrue(OpenCvForTests.load() == null, "OpenCV is not available here");
		faces = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000, true, Thumbnailer.CropMode.FACE);
	}

	@Test
	void thePortraitsAreFramedOnTheirFaces() throws Exception {
		for (Portrait portrait : Portrait.values()) {
			BufferedImage image = portrait.image();
			Framing framing = render(image, 1).framing();
			assertFramed(framing, image.getWidth(), image.getHeight(), List.of(portrait.face()));
		}
	}

	@Test
	void aFaceInTheCornerOfAWideLandscape() throws Exception {
		Composed picture = TestFaces.landscape(2400, 800).with(Portrait.HOPPER, 1950, 300, 400).done();
		assertMissedByTheCentre(picture);
		Framing framing = render(picture.image(), 1).framing();
		assertFramed(framing, 2400, 800, picture.faces());
	}

	@Test
	void aSmallFaceOffCentre() throws Exception {
		// The face a thirteenth of the picture's width: about as small as the model finds in a 4:3 picture.
		Composed picture = TestFaces.landscape(1600, 1200).with(Portrait.HOPPER, 60, 80, 300).done();
		assertMissedByTheCentre(picture);
		assertFramed(render(picture.image(), 1).framing(), 1600, 1200, picture.faces());
	}

	@Test
	void aGroupThatFitsIsFramedTogether() throws Exception {
		Composed picture = TestFaces.landscape(2000, 1000)
			.with(Portrait.ASTRONAUT, 900, 250, 480)
			.with(Portrait.HOPPER, 1400, 260, 360)
			.done();
		Framing framing = render(picture.image(), 1).framing();
		assertThat(framing.faces()).isEqualTo(2);
		Rectangle square = framing.square().in(2000, 1000);
		for (Rectangle face : picture.faces()) {
			assertThat(square.contains(face)).as("%s inside %s", face, square).isTrue();
		}
	}

	@ParameterizedTest(name = "EXIF orientation {0}")
	@ValueSource(ints = { 6, 8 })
	void sidewaysPhotosAreFramedUpright(int orientation) throws Exception {
		// A portrait photo (upright 1200×1800) with the face near the bottom right, stored sideways.
		Composed picture = TestFaces.landscape(1200, 1800).with(Portrait.ASTRONAUT, 640, 1440, 560).done();
		assertMissedByTheCentre(picture);
		Framing framing = render(picture.image(), orientation).framing();
		assertFramed(framing, 1200, 1800, picture.faces());
	}

	@Test
	void picturesWithoutAFaceKeepTheCentreSquare() throws Exception {
		List<BufferedImage> pictures = List.of(TestImages.solid(900, 600, Color.WHITE),
				TestImages.solid(600, 900, new Color(200, 120, 60)), TestImages.noise(800, 600),
				TestFaces.landscape(1600, 900).done().image());
		for (BufferedImage picture : pictures) {
			Framing framing = render(picture, 1).framing();
			assertThat(framing.kind()).isEqualTo(Framing.Kind.CENTRE);
			assertThat(framing.square()).isEqualTo(Crop.centreOf(picture.getWidth(), picture.getHeight()));
			assertThat(framing.face()).isNull();
		}
		Path quadrants = Files.write(this.dir.resolve("q.jpg"), TestImages.resource("quadrants.jpg"));
		assertThat(faces.render(quadrants, null, false).framing().kind()).isEqualTo(Framing.Kind.CENTRE);
	}

	@Test
	void anInferenceThatFailsKeepsTheCentreSquare() throws Exception {
		// One channel where the model wants three: OpenCV's DNN throws, and the framing falls back.
		org.opencv.core.Mat grey = new org.opencv.core.Mat(300, 400, org.opencv.core.CvType.CV_8UC1,
				new org.opencv.core.Scalar(128));
		try {
			FaceDetector detector = FaceDetector.load();
			Framing framing = detector.frame(grey, Orientation.NORMAL, 400, 300);
			assertThat(framing.kind()).isEqualTo(Framing.Kind.CENTRE);
			assertThat(framing.square()).isEqualTo(Crop.centreOf(400, 300));
			// The same detector still finds a face afterwards.
			org.opencv.core.Mat portrait = org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(
					TestImages.encode(Portrait.HOPPER.image(), "jpg")), org.opencv.imgcodecs.Imgcodecs.IMREAD_COLOR);
			try {
				assertThat(detector.frame(portrait, Orientation.NORMAL, 512, 600).kind()).isEqualTo(Framing.Kind.FACE);
			}
			finally {
				portrait.release();
			}
		}
		finally {
			grey.release();
		}
	}

	@Test
	void aChosenSquareAlwaysWins() throws Exception {
		Path file = write(Portrait.ASTRONAUT.image(), 1);
		Crop chosen = new Crop(0.5, 0.5, 0.5);
		Framing framing = faces.render(file, chosen, false).framing();
		assertThat(framing.kind()).isEqualTo(Framing.Kind.CHOSEN);
		assertThat(framing.square()).isEqualTo(chosen);
	}

	@Test
	void withCropCentreNoFaceIsLookedFor() throws Exception {
		Thumbnailer centre = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000, true,
				Thumbnailer.CropMode.CENTRE);
		Framing framing = centre.render(write(Portrait.ASTRONAUT.image(), 1), null, false).framing();
		assertThat(framing.kind()).isEqualTo(Framing.Kind.CENTRE);
		assertThat(centre.detectsFaces()).isFalse();
		assertThat(centre.description()).doesNotContain("face");
	}

	@Test
	void thePureJavaEngineKeepsTheCentreSquareAndSaysSo() throws Exception {
		Thumbnailer java = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.JAVA, 40_000_000, true,
				Thumbnailer.CropMode.FACE);
		assertThat(java.detectsFaces()).isFalse();
		assertThat(java.description()).contains("face detection needs the native library");
		Composed picture = TestFaces.landscape(1600, 1200).with(Portrait.ASTRONAUT, 60, 80, 300).done();
		Framing framing = java.render(write(picture.image(), 1), null, false).framing();
		assertThat(framing.kind()).isEqualTo(Framing.Kind.CENTRE);
		assertThat(framing.square()).isEqualTo(Crop.centreOf(1600, 1200));
	}

	@Test
	void bothEnginesRenderTheFramedSquareAlike() throws Exception {
		Composed picture = TestFaces.landscape(2400, 800).with(Portrait.HOPPER, 1950, 300, 400).done();
		Path file = write(picture.image(), 1);
		Rendering framed = faces.render(file, null, false);
		Thumbnailer java = new Thumbnailer(SIZES, 0.85f, Thumbnailer.Engine.JAVA, 40_000_000);
		List<Thumbnail> chosen = java.render(file, framed.framing().square());
		for (int i = 0; i < SIZES.size(); i++) {
			assertThat(meanDifference(ThumbnailerTests.decode(framed.squares().get(i)),
					ThumbnailerTests.decode(chosen.get(i)))).isLessThan(6);
		}
	}

	@Test
	void aTransparentPictureOnTheJavaPathIsFramedToo() throws Exception {
		Composed picture = TestFaces.landscape(1600, 1000).with(Portrait.HOPPER, 1150, 350, 380).done();
		BufferedImage argb = new BufferedImage(1600, 1000, BufferedImage.TYPE_INT_ARGB);
		for (int y = 0; y < 1000; y++) {
			for (int x = 0; x < 1600; x++) {
				argb.setRGB(x, y, (picture.image().getRGB(x, y) & 0xFFFFFF) | 0xF0000000);
			}
		}
		Path file = Files.write(this.dir.resolve("t.png"), TestImages.encode(argb, "png"));
		Rendering rendering = faces.render(file, null, false);
		assertThat(rendering.squares().get(0).format()).isEqualTo(Thumbnail.OutputFormat.PNG);
		assertFramed(rendering.framing(), 1600, 1000, picture.faces());
	}

	private Rendering render(BufferedImage upright, int orientation) throws Exception {
		return faces.render(write(upright, orientation), null, true);
	}

	private Path write(BufferedImage upright, int orientation) throws Exception {
		BufferedImage stored = switch (orientation) {
			case 1 -> upright;
			// Stored so that turning them as the tag says stands them upright.
			case 6 -> Orientation.ROTATE_90_CCW.apply(upright);
			case 8 -> Orientation.ROTATE_90_CW.apply(upright);
			default -> throw new IllegalArgumentException();
		};
		byte[] jpeg = TestImages.encode(stored, "jpg");
		return Files.write(Files.createTempFile(this.dir, "face", ".jpg"),
				(orientation == 1) ? jpeg : TestImages.withExifOrientation(jpeg, orientation));
	}

	static void assertFramed(Framing framing, int width, int height, List<Rectangle> faces) {
		assertThat(framing.kind()).isEqualTo(Framing.Kind.FACE);
		Rectangle square = framing.square().in(width, height);
		Rectangle face = faces.get(0);
		assertThat(square.contains(face)).as("face %s inside the square %s", face, square).isTrue();
		double share = (double) face.width * face.height / ((double) square.width * square.height);
		assertThat(share).as("share of the square that is face").isGreaterThan(MIN_SHARE);
		// The detector's box is the hand-drawn one, give or take.
		Framing.Box found = framing.face();
		Rectangle detected = new Rectangle((int) (found.x() * width), (int) (found.y() * height),
				(int) (found.width() * width), (int) (found.height() * height));
		assertThat(detected.intersects(face)).isTrue();
	}

	/** The test means something only if the centre square would have cut the face. */
	private static void assertMissedByTheCentre(Composed picture) {
		Rectangle centre = Crop.centre(picture.image().getWidth(), picture.image().getHeight());
		assertThat(centre.contains(picture.faces().get(0))).isFalse();
	}

	static double meanDifference(BufferedImage a, BufferedImage b) {
		long total = 0;
		for (int y = 0; y < a.getHeight(); y++) {
			for (int x = 0; x < a.getWidth(); x++) {
				int p = a.getRGB(x, y);
				int q = b.getRGB(x, y);
				for (int shift = 0; shift <= 16; shift += 8) {
					total += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
				}
			}
		}
		return total / (3.0 * a.getWidth() * a.getHeight());
	}

}
