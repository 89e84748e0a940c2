package dev.avatars.imageinfo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import dev.avatars.HostileImages;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageInfoTests {

	private static ImageInfo read(byte[] file) throws IOException {
		return ImageInfo.read(new ByteArrayInputStream(file));
	}

	@Test
	void anOrdinaryJpegStatesOneFrame() throws IOException {
		ImageInfo info = read(TestImages.resource("quadrants.jpg"));
		assertThat(info).isEqualTo(new ImageInfo(ImageInfo.Format.JPEG, 160, 120, 160, 120, 1, 8, 3, false, false));
	}

	@Test
	void everyJpegFrameCountsAndTheLargestIsReported() throws IOException {
		ImageInfo info = read(HostileImages.jpegWithSecondLargerFrame(64, 48));
		assertThat(info.width()).isEqualTo(64);
		assertThat(info.height()).isEqualTo(48);
		assertThat(info.frames()).isEqualTo(2);
		assertThat(info.largestPixels()).isEqualTo(20000L * 20000);
		assertThat(info.hasFrameBeyondPicture()).isTrue();
	}

	@Test
	void aLosslessJpegSaysSoWithItsPrecision() throws IOException {
		ImageInfo info = read(HostileImages.losslessJpeg(300, 200, 16, 1));
		assertThat(info).isEqualTo(new ImageInfo(ImageInfo.Format.JPEG, 300, 200, 300, 200, 1, 16, 1, true, false));
	}

	@Test
	void aJpegWithMetadataBeforeItsFrameIsReadPastIt() throws IOException {
		ImageInfo info = read(HostileImages.jpegWithDeepExifChain(5000));
		assertThat(info.largestPixels()).isEqualTo(64 * 64);
	}

	@Test
	void pngStatesBitDepthAndChannels() throws IOException {
		assertThat(read(TestImages.resource("sixteen-bit.png")))
			.isEqualTo(new ImageInfo(ImageInfo.Format.PNG, 160, 120, 160, 120, 1, 16, 3, false, false));
		assertThat(read(TestImages.resource("alpha.png")).components()).isEqualTo(4);
		assertThat(read(TestImages.resource("palette.png")).components()).isEqualTo(1);
	}

	@Test
	void gifStatesItsScreenAndEveryFrame() throws IOException {
		assertThat(read(TestImages.resource("animated.gif")))
			.isEqualTo(new ImageInfo(ImageInfo.Format.GIF, 160, 120, 160, 120, 2, 8, 1, false, false));
		ImageInfo wide = read(HostileImages.gifWithFrameLargerThanScreen(100, 10000));
		assertThat(wide.width()).isEqualTo(100);
		assertThat(wide.largestPixels()).isEqualTo(100_000_000L);
	}

	@Test
	void webpStatesItsCanvasAndEveryBitstream() throws IOException {
		assertThat(read(TestImages.resource("quadrants.webp")))
			.isEqualTo(new ImageInfo(ImageInfo.Format.WEBP, 160, 120, 160, 120, 1, 8, 3, false, false));
		ImageInfo lossless = read(HostileImages.losslessWebp(6300, 6300));
		assertThat(lossless.lossless()).isTrue();
		assertThat(lossless.largestPixels()).isEqualTo(6300L * 6300);
		ImageInfo hidden = read(HostileImages.webpCanvasAroundLargerFrame(100, 12000, 11000));
		assertThat(hidden.width()).isEqualTo(100);
		assertThat(hidden.height()).isEqualTo(100);
		assertThat(hidden.maxWidth()).isEqualTo(12000);
		assertThat(hidden.maxHeight()).isEqualTo(11000);
	}

	@Test
	void bmpStatesOneSize() throws IOException {
		BufferedImage picture = TestImages.solid(33, 17, java.awt.Color.GREEN);
		assertThat(read(TestImages.encode(picture, "bmp")))
			.isEqualTo(new ImageInfo(ImageInfo.Format.BMP, 33, 17, 33, 17, 1, 24, 3, false, false));
	}

	@Test
	void heicAndAvifAreNamedWithTheWayOut() {
		assertThatThrownBy(() -> read(TestImages.isoMedia("heic", "mif1", "heic"))).isInstanceOf(MalformedHeaderException.class)
			.hasMessage("HEIC pictures are not supported; send a JPEG, PNG or WebP.");
		assertThatThrownBy(() -> read(TestImages.isoMedia("avif", "avif", "mif1"))).isInstanceOf(MalformedHeaderException.class)
			.hasMessage("AVIF pictures are not supported; send a JPEG, PNG or WebP.");
		// An MP4 video has an ftyp box too, without a picture brand.
		assertThatThrownBy(() -> read(TestImages.isoMedia("isom", "isom", "mp41"))).isInstanceOf(MalformedHeaderException.class)
			.hasMessage("not a JPEG, PNG, GIF, WebP or BMP file");
	}

	@Test
	void headersCutShortOrForeignAreMalformed() {
		assertThatThrownBy(() -> read(TestImages.truncatedJpeg(40))).isInstanceOf(MalformedHeaderException.class);
		assertThatThrownBy(() -> read(TestImages.HTML)).isInstanceOf(MalformedHeaderException.class)
			.hasMessage("not a JPEG, PNG, GIF, WebP or BMP file");
		assertThatThrownBy(() -> read(TestImages.pngClaiming(0, 10))).isInstanceOf(MalformedHeaderException.class)
			.hasMessage("PNG IHDR states an impossible size: 0×10");
	}

	@Test
	void aJpegCutInItsImageDataIsStillDescribed() throws IOException {
		assertThat(read(TestImages.truncatedButWithReadableHeader()).largestPixels()).isEqualTo(300 * 200);
	}

	@Test
	void theRefusalsNameTheReason() throws IOException {
		long limit = 40_000_000;
		assertThat(DecodeLimits.refusal(read(TestImages.resource("quadrants.jpg")), limit)).isEmpty();
		assertThat(DecodeLimits.refusal(read(HostileImages.webpCanvasAroundLargerFrame(100, 200, 200)), limit))
			.contains("The WebP states a frame of 200×200 pixels, larger than its canvas of 100×100.");
		assertThat(DecodeLimits.refusal(read(HostileImages.losslessJpeg(2000, 2000, 16, 1)), limit)).isEmpty();
		assertThat(DecodeLimits.refusal(read(HostileImages.losslessJpeg(2001, 2000, 16, 1)), limit)).isPresent();
		assertThat(DecodeLimits.refusal(read(HostileImages.losslessWebp(4000, 4000)), limit)).isEmpty();
		assertThat(DecodeLimits.refusal(read(HostileImages.losslessWebp(4000, 4001)), limit)).contains(
				"The image is a lossless WebP of 16.0 megapixels; lossless WebPs are decoded whole, so at most 16"
						+ " megapixels are accepted.");
	}

	@Test
	void exifOrientationIsReadFromJpegPngAndWebp() throws IOException {
		byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(40, 20), 6);
		assertThat(ExifOrientation.read(new ByteArrayInputStream(jpeg))).isEqualTo(6);
		assertThat(ExifOrientation.read(new ByteArrayInputStream(TestImages.resource("orientation-8.jpg"))))
			.isEqualTo(8);
		assertThat(ExifOrientation.read(new ByteArrayInputStream(TestImages.resource("quadrants.jpg")))).isZero();
		byte[] tiff = { 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 };
		assertThat(ExifOrientation.orientation(tiff)).isEqualTo(3);
		assertThat(ExifOrientation.read(new ByteArrayInputStream(HostileImages.pngWithExif(tiff)))).isEqualTo(3);
		assertThat(ExifOrientation.read(new ByteArrayInputStream(HostileImages.webpWithExif(tiff)))).isEqualTo(3);
	}

}
