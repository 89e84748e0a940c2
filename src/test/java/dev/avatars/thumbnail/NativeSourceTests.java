package dev.avatars.thumbnail;

import java.nio.ByteBuffer;

import dev.avatars.HostileImages;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NativeSourceTests {

	private static final byte[] LOSSY = TestImages.resource("quadrants.webp"); // VP8, 160×120

	@Test
	void anExtendedWebpWhoseFrameIsItsCanvasGoesToTheFastPath() {
		byte[] webp = HostileImages.webpCanvasAroundLossyFrame(LOSSY, 160, 120);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(webp)))
			.isEqualTo(new NativeSource(NativeSource.Kind.WEBP, 160, 120));
	}

	@Test
	void aWebpCanvasSmallerThanItsFrameIsNotHandedToOpenCv() {
		byte[] webp = HostileImages.webpCanvasAroundLossyFrame(LOSSY, 100, 100);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(webp))).isNull();
	}

	@Test
	void aWebpCanvasAroundALosslessFrameIsNotHandedToOpenCv() {
		byte[] webp = HostileImages.webpCanvasAroundLargerFrame(100, 100, 100);
		assertThat(NativeSource.inspect(ByteBuffer.wrap(webp))).isNull();
	}

}
