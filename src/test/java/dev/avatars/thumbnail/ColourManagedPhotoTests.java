package dev.avatars.thumbnail;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Photos with an embedded colour profile, as phones and cameras send them: on both paths, at every decode scale,
 * baseline and progressive, the thumbnail's colours are LittleCMS's conversion of the picture's to sRGB.
 */
class ColourManagedPhotoTests {

	private static final int[][] COLOURS = { { 200, 80, 60 }, { 40, 170, 90 }, { 70, 90, 210 }, { 128, 128, 128 } };

	@TempDir
	Path dir;

	@BeforeAll
	static void nativeLibraryLoads() {
		assertThat(OpenCvForTests.load()).as("why OpenCV does not load").isNull();
	}

	static Stream<Arguments> profilesAndScales() {
		Stream.Builder<Arguments> cases = Stream.builder();
		for (String profile : List.of("Display P3", "Adobe RGB", "Display P3 in 3 APP2 segments")) {
			for (boolean progressive : List.of(false, true)) {
				// 1024 px: decoded at 1/8 for 64 px thumbnails; 200 px: at 1/2 for 64, whole for 256.
				for (int[] sides : List.of(new int[] { 1024, 64 }, new int[] { 200, 64 }, new int[] { 200, 256 })) {
					cases.add(Arguments.of(profile, progressive, sides[0], sides[1]));
				}
			}
		}
		return cases.build();
	}

	static byte[] profile(String name) {
		return switch (name) {
			case "Display P3" -> TestProfiles.displayP3();
			case "Adobe RGB" -> TestProfiles.adobeRgb();
			default -> TestProfiles.largeDisplayP3(25_000);
		};
	}

	@ParameterizedTest(name = "{0}, progressive {1}, {2} px into {3} px")
	@MethodSource("profilesAndScales")
	void bothPathsGiveLittleCmsColours(String profileName, boolean progressive, int side, int size) throws Exception {
		byte[] profile = profile(profileName);
		for (int[] colour : COLOURS) {
			byte[] jpeg = solidJpeg(side, colour, progressive);
			byte[] tagged = TestProfiles.withProfile(jpeg, profile, profileName.contains("APP2") ? 65_000 : 65_519,
					profileName.contains("APP2"));
			Path file = Files.write(this.dir.resolve("tagged.jpg"), tagged);
			int[] decoded = centre(ImageIO.read(new ByteArrayInputStream(jpeg)));
			int[] expected = TestProfiles.toSrgb(profile, decoded[0], decoded[1], decoded[2]);

			int[] fast = centreOfThumbnail(Thumbnailer.Engine.AUTO, file, size);
			int[] java = centreOfThumbnail(Thumbnailer.Engine.JAVA, file, size);

			String what = Arrays.toString(colour) + " decoded " + Arrays.toString(decoded);
			assertThat(maxDifference(fast, expected)).as("fast path %s: %s vs LittleCMS %s", what,
					Arrays.toString(fast), Arrays.toString(expected)).isLessThanOrEqualTo(3);
			assertThat(maxDifference(java, expected)).as("Java path %s: %s vs LittleCMS %s", what,
					Arrays.toString(java), Arrays.toString(expected)).isLessThanOrEqualTo(3);
		}
	}

	@Test
	void theColoursReallyChange() {
		// A Display P3 red is redder than sRGB can show: the reference must move it, or the test above proves
		// nothing.
		int[] converted = TestProfiles.toSrgb(TestProfiles.displayP3(), 200, 80, 60);
		assertThat(maxDifference(converted, new int[] { 200, 80, 60 })).isGreaterThan(8);
	}

	@Test
	void aTaggedPhotoStaysOnTheFastPath() throws Exception {
		byte[] tagged = TestProfiles.withProfile(solidJpeg(640, COLOURS[0], false), TestProfiles.displayP3(),
				65_519, false);
		NativeSource source = NativeSource.inspect(ByteBuffer.wrap(tagged));
		assertThat(source).isNotNull();
		assertThat(source.colour()).isNotNull();
		Path file = Files.write(this.dir.resolve("p3.jpg"), tagged);
		assertThat(openCv(file)).isNotNull();
	}

	@Test
	void anSrgbTaggedPhotoNeedsNoTransform() {
		byte[] tagged = TestProfiles.withProfile(solidJpeg(640, COLOURS[0], false),
				ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData(), 65_519, false);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(tagged)))
			.isEqualTo(new NativeSource(NativeSource.Kind.JPEG, 640, 640));
	}

	@Test
	void aProfileWithAPartMissingOrRepeatedIsLeftToThePureJavaPath() throws Exception {
		byte[] profile = TestProfiles.largeDisplayP3(25_000);
		assertThat(profile.length).as("three segments").isBetween(2 * 65_000 + 1, 3 * 65_000);
		byte[] whole = TestProfiles.withProfile(solidJpeg(640, COLOURS[0], false), profile, 65_000, false);
		// The second of three segments taken out: two remain, numbered 1 and 3 of 3.
		int second = indexOfSegment(whole, 2);
		int third = indexOfSegment(whole, 3);
		byte[] missing = concat(Arrays.copyOfRange(whole, 0, second), Arrays.copyOfRange(whole, third, whole.length));
		assertThat(NativeSource.inspect(ByteBuffer.wrap(missing))).isNull();
		byte[] repeated = concat(Arrays.copyOfRange(whole, 0, third), Arrays.copyOfRange(whole, second, whole.length));
		assertThat(NativeSource.inspect(ByteBuffer.wrap(repeated))).isNull();
	}

	@Test
	void anUnreadableProfileIsLeftToThePureJavaPathWhichStillGivesAThumbnailOrAReason() throws Exception {
		byte[] garbage = new byte[3000];
		Arrays.fill(garbage, (byte) 7);
		byte[] tagged = TestProfiles.withProfile(solidJpeg(640, COLOURS[0], false), garbage, 65_519, false);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(tagged))).isNull();
		Path file = Files.write(this.dir.resolve("garbage.jpg"), tagged);
		try {
			List<Thumbnail> thumbnails = thumbnailer(Thumbnailer.Engine.AUTO, 64).render(file, null);
			assertThat(thumbnails).hasSize(1);
		}
		catch (UndecodableImageException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@Test
	void aGreyProfileOnAColourPictureAndACmykOneAreLeftToThePureJavaPath() {
		byte[] grey = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
		byte[] colour = TestProfiles.withProfile(solidJpeg(640, COLOURS[0], false), grey, 65_519, false);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(colour))).isNull();
		byte[] xyz = ICC_Profile.getInstance(ColorSpace.CS_CIEXYZ).getData();
		byte[] notRgb = TestProfiles.withProfile(solidJpeg(640, COLOURS[0], false), xyz, 65_519, false);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(notRgb))).isNull();
	}

	@Test
	void aGreyPhotoWithAGreyProfileIsConverted() throws Exception {
		Mat grey = new Mat(640, 640, CvType.CV_8UC1, new Scalar(100));
		byte[] jpeg = encode(grey, ".jpg", false);
		byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
		byte[] tagged = TestProfiles.withProfile(jpeg, profile, 65_519, false);
		NativeSource source = NativeSource.inspect(ByteBuffer.wrap(tagged));
		assertThat(source).isNotNull();
		// The JDK's grey profile has a linear curve (gamma 1.0): level 100 is far lighter in sRGB.
		assertThat(source.colour()).isNotNull();
		Path file = Files.write(this.dir.resolve("grey.jpg"), tagged);
		int[] fast = centreOfThumbnail(Thumbnailer.Engine.AUTO, file, 64);
		int[] java = centreOfThumbnail(Thumbnailer.Engine.JAVA, file, 64);
		assertThat(fast[0]).isGreaterThan(140);
		assertThat(maxDifference(fast, java)).isLessThanOrEqualTo(3);
	}

	@Test
	void aPngWithAnIccpChunkIsConvertedOnTheFastPath() throws Exception {
		byte[] profile = TestProfiles.displayP3();
		int[] colour = COLOURS[0];
		byte[] png = withIccp(encode(solid(300, colour), ".png", false), profile);
		NativeSource source = NativeSource.inspect(ByteBuffer.wrap(png));
		assertThat(source).isNotNull();
		assertThat(source.colour()).isNotNull();
		Path file = Files.write(this.dir.resolve("p3.png"), png);
		int[] expected = TestProfiles.toSrgb(profile, colour[0], colour[1], colour[2]);
		assertThat(maxDifference(centreOfThumbnail(Thumbnailer.Engine.AUTO, file, 64), expected))
			.isLessThanOrEqualTo(3);
		assertThat(maxDifference(centreOfThumbnail(Thumbnailer.Engine.JAVA, file, 64), expected))
			.isLessThanOrEqualTo(3);
	}

	@Test
	void aWebpWithAnIccpChunkIsConvertedOnTheFastPath() throws Exception {
		byte[] profile = TestProfiles.displayP3();
		byte[] simple = encode(solid(300, COLOURS[0]), ".webp", false);
		byte[] webp = webpWithIccp(simple, profile, 300, 300);
		NativeSource source = NativeSource.inspect(ByteBuffer.wrap(webp));
		assertThat(source).isNotNull();
		assertThat(source.colour()).isNotNull();
		Path file = Files.write(this.dir.resolve("p3.webp"), webp);
		int[] untagged = centreOfThumbnail(Thumbnailer.Engine.AUTO,
				Files.write(this.dir.resolve("plain.webp"), simple), 64);
		int[] expected = TestProfiles.toSrgb(profile, untagged[0], untagged[1], untagged[2]);
		assertThat(maxDifference(centreOfThumbnail(Thumbnailer.Engine.AUTO, file, 64), expected))
			.isLessThanOrEqualTo(3);
		assertThat(maxDifference(centreOfThumbnail(Thumbnailer.Engine.JAVA, file, 64), expected))
			.isLessThanOrEqualTo(3);
	}

	private List<Thumbnail> openCv(Path file) throws Exception {
		return new OpenCvRenderer(List.of(64), 0.95f, JpegReducer.of(true)).render(Photo.read(file, null));
	}

	private static Thumbnailer thumbnailer(Thumbnailer.Engine engine, int size) {
		return new Thumbnailer(List.of(size), 0.95f, engine, 40_000_000);
	}

	private static int[] centreOfThumbnail(Thumbnailer.Engine engine, Path file, int size) throws Exception {
		Thumbnail thumbnail = thumbnailer(engine, size).render(file, null).get(0);
		return centre(ImageIO.read(new ByteArrayInputStream(thumbnail.bytes())));
	}

	private static int[] centre(BufferedImage image) {
		int rgb = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
		return new int[] { (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF };
	}

	private static int maxDifference(int[] a, int[] b) {
		int max = 0;
		for (int i = 0; i < 3; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}

	static Mat solid(int side, int[] rgb) {
		return new Mat(side, side, CvType.CV_8UC3, new Scalar(rgb[2], rgb[1], rgb[0]));
	}

	static byte[] solidJpeg(int side, int[] rgb, boolean progressive) {
		return encode(solid(side, rgb), ".jpg", progressive);
	}

	static byte[] encode(Mat image, String extension, boolean progressive) {
		MatOfByte out = new MatOfByte();
		MatOfInt params = extension.equals(".jpg")
				? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 95, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0)
				: new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, 95);
		assertThat(Imgcodecs.imencode(extension, image, out, params)).isTrue();
		return out.toArray();
	}

	/** The JPEG's {@code n}th APP2 segment's offset. */
	private static int indexOfSegment(byte[] jpeg, int n) {
		int pos = 2;
		int seen = 0;
		while (true) {
			int marker = jpeg[pos + 1] & 0xFF;
			if (marker == 0xE2 && ++seen == n) {
				return pos;
			}
			pos += 2 + (((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF));
		}
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

	/** The PNG with an iCCP chunk right after IHDR. */
	static byte[] withIccp(byte[] png, byte[] profile) {
		Deflater deflater = new Deflater();
		deflater.setInput(profile);
		deflater.finish();
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		while (!deflater.finished()) {
			compressed.write(buffer, 0, deflater.deflate(buffer));
		}
		deflater.end();
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.writeBytes("P3\0\0".getBytes(StandardCharsets.ISO_8859_1));
		data.writeBytes(compressed.toByteArray());
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, 33); // signature, IHDR
		chunk(out, "iCCP", data.toByteArray());
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(typeBytes);
		out.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** The simple lossy WebP in an extended one: VP8X with the ICC flag, ICCP, then the VP8 frame. */
	static byte[] webpWithIccp(byte[] simple, byte[] profile, int width, int height) {
		ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
		vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0x20);
		vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) 0);
		vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) 0);
		ByteBuffer iccp = ByteBuffer.allocate(8 + profile.length + (profile.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
		iccp.put("ICCP".getBytes(StandardCharsets.US_ASCII)).putInt(profile.length).put(profile);
		byte[] body = concat(concat(vp8x.array(), iccp.array()), Arrays.copyOfRange(simple, 12, simple.length));
		ByteBuffer riff = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
		riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length)
			.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body);
		return riff.array();
	}

}
