package dev.avatars.web;

import dev.avatars.ApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.hasKey;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class OpenApiTests extends ApiTestSupport {

	@Test
	void documentDescribesEveryEndpointAndItsProblems() throws Exception {
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/users'].post.responses", hasKey("409")))
			.andExpect(jsonPath("$.paths['/api/users'].get.responses", hasKey("400")))
			.andExpect(jsonPath("$.paths['/api/users/{id}'].get.responses", hasKey("404")))
			.andExpect(jsonPath("$.paths['/api/users/{id}'].delete.responses", hasKey("204")))
			.andExpect(jsonPath("$.paths['/api/users/{id}/avatar'].post.requestBody.content['multipart/form-data']"
					+ ".schema['$ref']").value("#/components/schemas/UploadForm"))
			.andExpect(jsonPath("$.components.schemas.UploadForm.properties.file.format").value("binary"))
			.andExpect(jsonPath("$.components.schemas.UploadForm.properties", hasKey("cropSize")))
			.andExpect(jsonPath("$.paths['/api/users/{id}/avatar'].post.responses", hasKey("413")))
			.andExpect(jsonPath("$.paths['/api/users/{id}/avatar'].post.responses", hasKey("415")))
			.andExpect(jsonPath("$.paths['/api/users/{id}/avatar'].post.responses", hasKey("422")))
			.andExpect(jsonPath("$.paths['/api/users/{id}/avatar'].post.responses['422'].content",
					hasKey("application/problem+json")));
	}

	@Test
	void swaggerUiIsServed() throws Exception {
		this.mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
	}

}
