package dev.avatars.avatar;

import java.util.Map;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class UploadDatabaseFailureTests extends ApiTestSupport {

	@MockitoSpyBean
	AvatarRepository store;

	@Test
	void whenTheRowCannotBeWrittenTheStoredFileIsRemovedAndTheClientLearnsNothingInternal() throws Exception {
		long id = createUser("unlucky");
		Map<String, Object> before = avatarRow(id);
		doThrow(new DataAccessResourceFailureException("connection to /var/lib/db refused")).when(this.store)
			.replaceOriginal(anyLong(), any(), any(), any(), any());

		String body = upload(id, TestImages.jpeg(64, 64), "a.jpg", "image/jpeg")
			.andExpect(status().isInternalServerError())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("Something went wrong on our side. Please try again later."))
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(body).doesNotContain("/var/lib/db", "DataAccess");
		AvatarUploadTests.assertNoInternals(body);
		assertThat(storedFiles()).isEmpty();
		assertThat(avatarRow(id)).isEqualTo(before);
	}

}
