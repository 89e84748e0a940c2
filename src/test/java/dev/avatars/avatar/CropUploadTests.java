package dev.avatars.avatar;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.avatars.ApiTestSupport;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import dev.avatars.job.Trigger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class CropUploadTests extends ApiTestSupport {

	@Autowired
	JobEngine engine;

	private ResultActions uploadWithCrop(long id, byte[] picture, String... fields) throws Exception {
		// Form fields after the file, as the page sends them.
		MultipartBody body = new MultipartBody().file("file", "a.jpg", "image/jpeg", picture);
		for (int i = 0; i < fields.length; i += 2) {
			body.field(fields[i], fields[i + 1]);
		}
		return this.mvc.perform(body.post("/api/users/{id}/avatar", id).with(as(id)));
	}

	@Test
	void aValidCropIsStoredWithTheAvatar() throws Exception {
		long id = createUser("cropper");
		uploadWithCrop(id, TestImages.resource("quadrants.jpg"), "cropX", "0.5", "cropY", "0", "cropSize", "0.5")
			.andExpect(status().isAccepted());
		Map<String, Object> row = avatarRow(id);
		assertThat(row.get("CROP_X")).isEqualTo(0.5);
		assertThat(row.get("CROP_Y")).isEqualTo(0.0);
		assertThat(row.get("CROP_SIZE")).isEqualTo(0.5);
	}

	@Test
	void theCropMayComeInTheQueryStringAndAFormFieldWins() throws Exception {
		long id = createUser("queried");
		byte[] picture = TestImages.resource("quadrants.jpg");
		this.mvc
			.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", picture)
				.field("cropX", "0.25")
				.post("/api/users/{id}/avatar?cropX=0.5&cropY=0.5&cropSize=0.5", id).with(as(id)))
			.andExpect(status().isAccepted());
		Map<String, Object> row = avatarRow(id);
		assertThat(row.get("CROP_X")).isEqualTo(0.25);
		assertThat(row.get("CROP_Y")).isEqualTo(0.5);
		assertThat(row.get("CROP_SIZE")).isEqualTo(0.5);
	}

	@Test
	void withoutCropFieldsTheCentreIsUsedAndAnEarlierCropIsForgotten() throws Exception {
		long id = createUser("centred");
		uploadWithCrop(id, TestImages.resource("quadrants.jpg"), "cropX", "0.5", "cropY", "0", "cropSize", "0.5")
			.andExpect(status().isAccepted());
		uploadWithCrop(id, TestImages.resource("quadrants.jpg")).andExpect(status().isAccepted());
		assertThat(avatarRow(id).get("CROP_SIZE")).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"x below 0        | -0.1 | 0   | 0.5 | cropX and cropY must be between 0 and 1, and cropSize above 0 and at most 1.",
			"y above 1        | 0    | 1.2 | 0.5 | cropX and cropY must be between 0 and 1, and cropSize above 0 and at most 1.",
			"size 0           | 0    | 0   | 0   | cropX and cropY must be between 0 and 1, and cropSize above 0 and at most 1.",
			"size above 1     | 0    | 0   | 1.5 | cropX and cropY must be between 0 and 1, and cropSize above 0 and at most 1.",
			"past right edge  | 0.9  | 0   | 0.5 | The crop square must lie inside the picture.",
			"past bottom edge | 0    | 0.6 | 0.5 | The crop square must lie inside the picture." })
	void outOfRangeCropsAre400AndStoreNothing(String name, String x, String y, String size, String detail)
			throws Exception {
		long id = createUser("outofrange");
		Map<String, Object> before = avatarRow(id);
		uploadWithCrop(id, TestImages.resource("quadrants.jpg"), "cropX", x, "cropY", y, "cropSize", size)
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(detail));
		assertThat(avatarRow(id)).isEqualTo(before);
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void incompleteOrNonNumericCropsAre400() throws Exception {
		long id = createUser("partial");
		uploadWithCrop(id, TestImages.resource("quadrants.jpg"), "cropX", "0.1", "cropY", "0.1")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail")
				.value("Send cropX, cropY and cropSize together, or none of them for the centre square."));
		uploadWithCrop(id, TestImages.resource("quadrants.jpg"), "cropX", "left", "cropY", "0", "cropSize", "1")
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("cropX must be a number."));
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void theCropIsJudgedAgainstTheUprightPicture() throws Exception {
		// orientation-6.jpg is stored 120×160 but stands 160×120: x = 0.6 with size 0.5 fits only upright.
		long id = createUser("upright");
		uploadWithCrop(id, TestImages.resource("orientation-6.jpg"), "cropX", "0.6", "cropY", "0.5", "cropSize", "0.5")
			.andExpect(status().isAccepted());
	}

	@Test
	void theJobCropsExactlyTheChosenSquare() throws Exception {
		// Top-right quadrant: green. Bottom-left quadrant: blue. Also through EXIF orientation 6 and 8.
		List<Object[]> cases = List.of(new Object[] { "quadrants.jpg", "0.5", "0", Color.GREEN },
				new Object[] { "quadrants.jpg", "0", "0.5", Color.BLUE },
				new Object[] { "orientation-6.jpg", "0.5", "0", Color.GREEN },
				new Object[] { "orientation-8.jpg", "0", "0.5", Color.BLUE });
		int n = 0;
		for (Object[] c : cases) {
			long id = createUser("crop" + n++);
			uploadWithCrop(id, TestImages.resource((String) c[0]), "cropX", (String) c[1], "cropY", (String) c[2],
					"cropSize", "0.5")
				.andExpect(status().isAccepted());
			this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
			byte[] thumbnail = this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=256", id)).andReturn()
				.getResponse()
				.getContentAsByteArray();
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail));
			assertThat(image.getWidth()).isEqualTo(256);
			for (int[] point : new int[][] { { 20, 20 }, { 128, 128 }, { 235, 235 }, { 20, 235 }, { 235, 20 } }) {
				Color actual = new Color(image.getRGB(point[0], point[1]));
				Color expected = (Color) c[3];
				int distance = Math.abs(actual.getRed() - expected.getRed())
						+ Math.abs(actual.getGreen() - expected.getGreen())
						+ Math.abs(actual.getBlue() - expected.getBlue());
				assertThat(distance).as("%s at %s is %s", c[0], java.util.Arrays.toString(point), actual)
					.isLessThan(90);
			}
		}
	}

}
