package dev.avatars.thumbnail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.avatars.HostileImages;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile files built in code, through the thumbnailer on both engines: thumbnails or
 * {@link UndecodableImageException} with the real reason, never another {@code Throwable} (no stack overflow, no
 * out of memory, no plain IOException that the job would retry).
 */
class HostileFileTests {

	private static final long LIMIT = 40_000_000;

	@TempDir
	Path dir;

	/** Each file, and what the thumbnailer must make of it: thumbnails, or a refusal whose message starts so. */
	static Stream<Arguments> files() {
		return Stream.of(
				// Metadata that nests or inflates without end: the pixels are fine, so thumbnails.
				hostile("deep EXIF IFD chain", () -> HostileImages.jpegWithDeepExifChain(10_000), null),
				bomb("zTXt bomb", () -> HostileImages.pngWithCompressedChunkBomb("zTXt", 64, 64, 256L << 20)),
				bomb("iTXt bomb", () -> HostileImages.pngWithCompressedChunkBomb("iTXt", 64, 64, 256L << 20)),
				bomb("iCCP bomb", () -> HostileImages.pngWithCompressedChunkBomb("iCCP", 64, 64, 256L << 20)),
				// TwelveMonkeys gathers the profile whole (31 MB allocated on the Java path when measured): bounded by
				// the upload's 10 MB, not by the profile's claim.
				bounded("JPEG with a 9.8 MB ICC profile", () -> HostileImages.jpegWithHugeIccProfile(150), 64L << 20),
				// Headers that understate: refused before any decoder sees them.
				hostile("WebP canvas 100×100 around a 12000×12000 frame",
						() -> HostileImages.webpCanvasAroundLargerFrame(100, 12000, 12000),
						"The image states a frame of 12000×12000 pixels (144 megapixels) in a picture of 100×100"),
				hostile("WebP canvas 100×100 around a 200×200 frame",
						() -> HostileImages.webpCanvasAroundLargerFrame(100, 200, 200),
						"The WebP states a frame of 200×200 pixels, larger than its canvas of 100×100."),
				hostile("WebP canvas 100×100 around a lossy 160×120 frame",
						() -> HostileImages.webpCanvasAroundLossyFrame(TestImages.resource("quadrants.webp"), 100, 100),
						"The WebP states a frame of 160×120 pixels, larger than its canvas of 100×100."),
				hostile("38-byte lossless WebP claiming 6300×6300", () -> HostileImages.losslessWebp(6300, 6300),
						"The image is a lossless WebP of 39.7 megapixels; lossless WebPs are decoded whole"),
				hostile("GIF frame 10000×10000 on a 100×100 screen",
						() -> HostileImages.gifWithFrameLargerThanScreen(100, 10000),
						"The image states a frame of 10000×10000 pixels (100 megapixels)"),
				hostile("JPEG with a second frame of 20000×20000",
						() -> HostileImages.jpegWithSecondLargerFrame(64, 64),
						"The image states a frame of 20000×20000 pixels (400 megapixels)"),
				hostile("16-bit lossless JPEG of 40 MP", () -> HostileImages.losslessJpeg(6324, 6324, 16, 1),
						"The image is a lossless JPEG of 40.0 megapixels with 1 component(s)"),
				hostile("8-bit lossless RGB JPEG of 4 MP", () -> HostileImages.losslessJpeg(2000, 2000, 8, 3),
						"The image is a lossless JPEG of 4 megapixels with 3 component(s)"),
				// Before the end-bounded stream: 8 s of CPU, then thumbnails from nothing.
				hostile("38-byte lossless WebP claiming 300×300, data for a few pixels",
						() -> HostileImages.losslessWebpClaimingMoreThanItHolds(300, 300),
						"not a decodable WEBP: truncated data"),
				// Within the limits: decoded.
				hostile("16-bit lossless JPEG of 4 MP", () -> HostileImages.losslessJpeg(2000, 2000, 16, 1), null),
				hostile("16-bit PNG of 40 MP", () -> HostileImages.blackPng(6324, 6324, 16), null),
				hostile("lossless WebP of 4 MP", () -> HostileImages.losslessWebp(2000, 2000), null),
				// Damage no retry can cure.
				hostile("corrupt lossless JPEG", () -> HostileImages.corruptLosslessJpeg(300, 300),
						"not a decodable JPEG"));
	}

	/** Built once for both engines: some take a second to deflate. */
	private static final Map<String, byte[]> BUILT = new ConcurrentHashMap<>();

	private static Arguments hostile(String name, Supplier<byte[]> file, String refusal) {
		Supplier<byte[]> once = () -> BUILT.computeIfAbsent(name, (key) -> file.get());
		return Arguments.of(name, once, refusal, Long.MAX_VALUE);
	}

	/** A 64×64 picture whose metadata inflates to 256 MB: rendered while allocating a few megabytes at most. */
	private static Arguments bomb(String name, Supplier<byte[]> file) {
		return bounded(name, file, 16L << 20);
	}

	/** Rendered while this thread allocates less than {@code maxAllocated} bytes. */
	private static Arguments bounded(String name, Supplier<byte[]> file, long maxAllocated) {
		Supplier<byte[]> once = () -> BUILT.computeIfAbsent(name, (key) -> file.get());
		return Arguments.of(name, once, null, maxAllocated);
	}

	/** Bytes this thread allocates while {@code action} runs: a bound that holds whatever the heap's size. */
	static long allocatedBy(ThrowingRunnable action) throws Exception {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		action.run();
		return threads.getCurrentThreadAllocatedBytes() - before;
	}

	interface ThrowingRunnable {

		void run() throws Exception;

	}

	@Test
	void theBombsInflateToWhatTheySay() throws Exception {
		byte[] bomb = HostileImages.pngWithCompressedChunkBomb("zTXt", 64, 64, 256L << 20);
		int start = 33 + 8 + "Comment\0\0".length();
		try (java.io.InputStream in = new java.util.zip.InflaterInputStream(
				new ByteArrayInputStream(bomb, start, bomb.length - start))) {
			assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(256L << 20);
		}
	}

	@ParameterizedTest(name = "{0}, auto")
	@MethodSource("files")
	void onTheAutoEngine(String name, Supplier<byte[]> file, String refusal, long maxAllocated) throws Exception {
		renderOrRefuse(Thumbnailer.Engine.AUTO, file.get(), refusal, maxAllocated);
	}

	@ParameterizedTest(name = "{0}, java")
	@MethodSource("files")
	void onTheJavaEngine(String name, Supplier<byte[]> file, String refusal, long maxAllocated) throws Exception {
		renderOrRefuse(Thumbnailer.Engine.JAVA, file.get(), refusal, maxAllocated);
	}

	private void renderOrRefuse(Thumbnailer.Engine engine, byte[] bytes, String refusal, long maxAllocated)
			throws Exception {
		Path original = Files.write(this.dir.resolve("original"), bytes);
		Thumbnailer thumbnailer = new Thumbnailer(List.of(256, 128, 64), 0.85f, engine, LIMIT);
		if (refusal == null) {
			List<List<Thumbnail>> rendered = new java.util.ArrayList<>();
			long allocated = allocatedBy(() -> rendered.add(thumbnailer.render(original, null)));
			assertThat(allocated).isLessThan(maxAllocated);
			List<Thumbnail> thumbnails = rendered.get(0);
			assertThat(thumbnails).extracting(Thumbnail::size).containsExactly(256, 128, 64);
			assertThat(thumbnails).allSatisfy((thumbnail) -> assertThat(thumbnail.bytes()).isNotEmpty());
		}
		else {
			Throwable thrown = catchThrowable(() -> thumbnailer.render(original, null));
			assertThat(thrown).isInstanceOf(UndecodableImageException.class).hasMessageStartingWith(refusal);
		}
	}

	@Test
	void aDeepExifChainIsReadAsNoOrientationWithoutOverflowingTheStack() {
		assertThat(Orientation.read(new ByteArrayInputStream(HostileImages.jpegWithDeepExifChain(10_000))))
			.isEqualTo(Orientation.NORMAL);
	}

	@Test
	void anInflatingTextChunkIsNotInflatedToReadTheOrientation() throws Exception {
		byte[] bomb = HostileImages.pngWithCompressedChunkBomb("zTXt", 64, 64, 256L << 20);
		List<Orientation> read = new java.util.ArrayList<>();
		long allocated = allocatedBy(() -> read.add(Orientation.read(new ByteArrayInputStream(bomb))));
		assertThat(read).containsExactly(Orientation.NORMAL);
		assertThat(allocated).isLessThan(4L << 20);
	}

	@Test
	void theOrientationIsStillReadFromJpegExif() {
		byte[] rotated = TestImages.withExifOrientation(TestImages.jpeg(40, 20), 6);
		assertThat(Orientation.read(new ByteArrayInputStream(rotated))).isEqualTo(Orientation.ROTATE_90_CW);
	}

	@Test
	void anOriginalLargerThanTheLimitIsRefusedEvenWhenOnlyTheLimitChanged() throws Exception {
		Path original = Files.write(this.dir.resolve("big.png"), TestImages.png(1200, 1000));
		Thumbnailer strict = new Thumbnailer(List.of(64), 0.85f, Thumbnailer.Engine.JAVA, 1_000_000);
		assertThatThrownBy(() -> strict.render(original, null)).isInstanceOf(UndecodableImageException.class)
			.hasMessage("The image is 1200×1000 pixels (1.2 megapixels); the limit is 1 megapixels.");
	}

}
