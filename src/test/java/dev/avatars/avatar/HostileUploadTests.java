package dev.avatars.avatar;

import java.util.List;
import java.util.function.Supplier;

import dev.avatars.ApiTestSupport;
import dev.avatars.HostileImages;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Hostile files built in code, uploaded with crop fields (so that the orientation is read in the request): refused
 * with 422 and the reason, or accepted; never a 500. The job's side is in HostileFileTests.
 */
class HostileUploadTests extends ApiTestSupport {

	static List<Arguments> accepted() {
		return List.of(
				Arguments.of("deep EXIF IFD chain", (Supplier<byte[]>) () -> HostileImages.jpegWithDeepExifChain(10_000)),
				Arguments.of("zTXt bomb",
						(Supplier<byte[]>) () -> HostileImages.pngWithCompressedChunkBomb("zTXt", 64, 64, 256L << 20)),
				Arguments.of("iTXt bomb",
						(Supplier<byte[]>) () -> HostileImages.pngWithCompressedChunkBomb("iTXt", 64, 64, 256L << 20)),
				Arguments.of("iCCP bomb",
						(Supplier<byte[]>) () -> HostileImages.pngWithCompressedChunkBomb("iCCP", 64, 64, 256L << 20)),
				Arguments.of("JPEG with a 9.8 MB ICC profile",
						(Supplier<byte[]>) () -> HostileImages.jpegWithHugeIccProfile(150)),
				Arguments.of("16-bit lossless JPEG of 4 MP",
						(Supplier<byte[]>) () -> HostileImages.losslessJpeg(2000, 2000, 16, 1)),
				Arguments.of("16-bit PNG of 40 MP", (Supplier<byte[]>) () -> HostileImages.blackPng(6324, 6324, 16)),
				Arguments.of("corrupt lossless JPEG (refused by the job)",
						(Supplier<byte[]>) () -> HostileImages.corruptLosslessJpeg(300, 300)));
	}

	static List<Arguments> refused() {
		return List.of(
				Arguments.of("WebP canvas 100×100 around a 12000×12000 frame",
						(Supplier<byte[]>) () -> HostileImages.webpCanvasAroundLargerFrame(100, 12000, 12000),
						"The image states a frame of 12000×12000 pixels (144 megapixels) in a picture of 100×100;"
								+ " the limit is 40 megapixels."),
				Arguments.of("WebP canvas 100×100 around a lossy 160×120 frame",
						(Supplier<byte[]>) () -> HostileImages
							.webpCanvasAroundLossyFrame(TestImages.resource("quadrants.webp"), 100, 100),
						"The WebP states a frame of 160×120 pixels, larger than its canvas of 100×100."),
				Arguments.of("38-byte lossless WebP claiming 6300×6300",
						(Supplier<byte[]>) () -> HostileImages.losslessWebp(6300, 6300),
						"The image is a lossless WebP of 39.7 megapixels; lossless WebPs are decoded whole, so at"
								+ " most 16 megapixels are accepted."),
				Arguments.of("GIF frame 10000×10000 on a 100×100 screen",
						(Supplier<byte[]>) () -> HostileImages.gifWithFrameLargerThanScreen(100, 10000),
						"The image states a frame of 10000×10000 pixels (100 megapixels) in a picture of 100×100;"
								+ " the limit is 40 megapixels."),
				Arguments.of("JPEG with a second frame of 20000×20000",
						(Supplier<byte[]>) () -> HostileImages.jpegWithSecondLargerFrame(64, 64),
						"The image states a frame of 20000×20000 pixels (400 megapixels) in a picture of 64×64;"
								+ " the limit is 40 megapixels."),
				Arguments.of("16-bit lossless JPEG of 40 MP",
						(Supplier<byte[]>) () -> HostileImages.losslessJpeg(6324, 6324, 16, 1),
						"The image is a lossless JPEG of 40.0 megapixels with 1 component(s); lossless JPEGs are"
								+ " decoded whole, so at most 4 million samples (width × height × components) are"
								+ " accepted."));
	}

	private ResultActions uploadWithCrop(long id, byte[] picture) throws Exception {
		return this.mvc.perform(new MultipartBody().file("file", "picture", "application/octet-stream", picture)
			.field("cropX", "0")
			.field("cropY", "0")
			.field("cropSize", "0.5")
			.post("/api/users/{id}/avatar", id).with(as(id)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("accepted")
	void accepted(String name, Supplier<byte[]> file) throws Exception {
		long id = createUser("hostile");
		uploadWithCrop(id, file.get()).andExpect(status().isAccepted());
		assertThat(avatarRow(id).get("CROP_SIZE")).isEqualTo(0.5);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refused")
	void refusedWithTheReason(String name, Supplier<byte[]> file, String detail) throws Exception {
		long id = createUser("hostile");
		uploadWithCrop(id, file.get()).andExpect(status().isUnprocessableContent())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Image too large"))
			.andExpect(jsonPath("$.detail").value(detail));
		assertThat(avatarRow(id).get("ORIGINAL_KEY")).isNull();
	}

}
