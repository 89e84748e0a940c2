package dev.avatars.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.avatars.ApiTestSupport;
import dev.avatars.JsonText;
import dev.avatars.TestFaces;
import dev.avatars.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded). Skips where
 * Chromium is missing, except under CI=true, where it must run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false" })
class PageBrowserTests extends ApiTestSupport {

	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static WebDriver browser;

	/** The browser's profile and the files it uploads; JUnit deletes it after the browser has quit. */
	@TempDir
	static Path scratch;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startBrowser() throws Exception {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			String missing = "Chromium is missing (" + CHROMIUM + ", " + CHROMEDRIVER
					+ "): apt-get install chromium chromium-driver";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				fail(missing + "; CI=true requires the browser test to run");
			}
			Assumptions.abort("Skipping the browser test. " + missing);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
				"--user-data-dir=" + scratch.resolve("chromium-profile"), "--window-size=1280,1100");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		Files.createDirectories(SCREENSHOTS);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void signUpUploadWithACropAndAnAdminProcessesThenTheOwnerSeesTheChosenSquareThenARefusal() throws Exception {
		createUser("someone.else"); // a neighbour in the grid, still on a placeholder
		adminId();
		open();

		browser.findElement(By.id("new-username")).sendKeys("ada");
		browser.findElement(By.id("new-display-name")).sendKeys("Ada Lovelace");
		browser.findElement(By.id("new-password")).sendKeys("ada's own secret");
		browser.findElement(By.id("create-button")).click();
		until(() -> browser.findElement(By.id("me")).isDisplayed()
				&& browser.findElement(By.id("my-name")).getText().equals("Ada Lovelace (@ada)"));
		until(() -> badge().equals("No picture yet"));
		assertThat(browser.findElement(By.id("signed-in-name")).getText()).isEqualTo("Ada Lovelace (@ada)");
		assertThat(browser.findElement(By.id("operations")).isDisplayed()).as("operations are for admins").isFalse();

		browser.findElement(By.id("file-input")).sendKeys(fixture("quadrants.jpg").toString());
		until(() -> browser.findElement(By.id("crop-box")).isDisplayed());
		// Halve the square, then push it into the top-right corner: the green quadrant.
		WebElement crop = browser.findElement(By.id("crop-box"));
		crop.click();
		for (int i = 0; i < 10; i++) {
			crop.sendKeys("-");
		}
		for (int i = 0; i < 10; i++) {
			crop.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_RIGHT));
			crop.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_UP));
		}
		assertThat(crop.getAttribute("aria-valuetext")).isEqualTo("50% of the picture, 63% from the left, 0% from the top");

		browser.findElement(By.id("upload-button")).click();
		until(() -> "100".equals(browser.findElement(By.id("upload-progress")).getDomProperty("value")));
		until(() -> badge().equals("Pending"));
		screenshot("page-desktop-pending.png");
		signOut();

		signIn(ADMIN, PASSWORD);
		until(() -> browser.findElement(By.id("operations")).isDisplayed());
		browser.findElement(By.id("process-now")).click();
		// The run goes on in the background; the page follows its record until it has finished.
		until(() -> browser.findElement(By.id("process-report")).getText().contains("retried"));
		assertThat(browser.findElement(By.id("process-report")).getText()).contains("claimed 1, ready 1, failed 0");
		until(() -> browser.findElement(By.id("runs")).getText().contains("thumbnails API"));
		browser.findElement(By.id("cleanup-now")).click();
		until(() -> browser.findElement(By.id("process-report")).getText().contains("removed"));
		assertThat(browser.findElement(By.id("process-report")).getText()).contains("failed 0")
			.contains("removed 0 files (0.0 MB)");
		until(() -> browser.findElement(By.id("runs")).getText().contains("cleanup API"));
		until(() -> browser.findElement(By.id("backlog-pending")).getText().equals("0"));
		screenshot("page-admin.png");
		signOut();
		assertThat(browser.findElement(By.id("operations")).isDisplayed()).isFalse();

		signIn("ada", "ada's own secret");
		until(() -> badge().equals("Ready"));
		until(() -> Long.valueOf(256).equals(script("const i = document.getElementById('my-avatar');"
				+ " return i.complete ? i.naturalWidth : 0;")));
		@SuppressWarnings("unchecked")
		List<Long> centre = (List<Long>) script("const i = document.getElementById('my-avatar');"
				+ " const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;"
				+ " const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
				+ " return Array.from(g.getImageData(128, 128, 1, 1).data);");
		assertThat(centre.get(0)).as("red").isLessThan(60);
		assertThat(centre.get(1)).as("green").isGreaterThan(200);
		assertThat(centre.get(2)).as("blue").isLessThan(60);
		// Everyone's avatars stay visible: ada's thumbnail (versioned) and two placeholders.
		until(() -> browser.findElements(By.cssSelector("#people img[src*='?v=']")).size() == 1);
		assertThat(browser.findElements(By.cssSelector("#people img"))).hasSize(3);
		assertThat(browser.findElement(By.id("operations")).isDisplayed()).isFalse();
		browser.manage().window().setSize(new Dimension(1280, 2200)); // the whole page in one picture
		screenshot("page-desktop.png");

		browser.manage().window().setSize(new Dimension(360, 800));
		until(() -> Boolean.TRUE.equals(script("return document.documentElement.scrollWidth <= window.innerWidth;")));
		screenshot("page-360.png");
		browser.manage().window().setSize(new Dimension(1280, 1100));

		Path text = Files.writeString(scratch.resolve("notes.txt"), "just some text");
		browser.findElement(By.id("file-input")).sendKeys(text.toString());
		browser.findElement(By.id("upload-button")).click();
		until(() -> browser.findElement(By.id("upload-message")).getText()
			.equals("The file is not a JPEG, PNG, GIF, WebP or BMP image."));
		assertThat(badge()).isEqualTo("Ready");
		screenshot("page-refusal.png");

		// The owner removes the picture: the initials again, here and in the grid.
		browser.findElement(By.id("remove-avatar")).click();
		browser.switchTo().alert().accept();
		until(() -> badge().equals("No picture yet"));
		until(() -> !browser.findElement(By.id("my-avatar")).getAttribute("src").contains("?v="));
		until(() -> browser.findElements(By.cssSelector("#people img[src*='?v=']")).isEmpty());
		assertThat(browser.findElement(By.id("remove-avatar")).isDisplayed()).isFalse();
		assertThat(this.jdbc.sql("SELECT status FROM avatars a JOIN users u ON u.id = a.user_id WHERE u.username = 'ada'")
			.query(String.class)
			.single()).isEqualTo("NONE");

		// The session ends under the page (expired, or signed out in another tab): the API's words show.
		browser.manage().deleteCookieNamed("JSESSIONID");
		browser.findElement(By.id("file-input")).sendKeys(fixture("quadrants.jpg").toString());
		until(() -> browser.findElement(By.id("crop-box")).isDisplayed());
		browser.findElement(By.id("upload-button")).click();
		until(() -> browser.findElement(By.id("upload-message")).getText().equals("Sign in to change an avatar."));
		assertThat(badge()).isEqualTo("No picture yet");
		open();
	}

	@Test
	void aUserIsFoundBySearchAndSeesTheReasonTheirAvatarFailed() throws Exception {
		long id = createUser("grace");
		uploadOk(id, TestImages.truncatedButWithReadableHeader());
		this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/jobs/thumbnails/runs?wait=true")
			.with(asAdmin()));
		open();

		browser.findElement(By.id("user-search")).sendKeys("GRA");
		until(() -> browser.findElement(By.id("user-results")).getText().contains("grace (@grace)"));

		browser.findElement(By.id("sign-in-username")).sendKeys("grace");
		browser.findElement(By.id("sign-in-password")).sendKeys("a wrong password");
		browser.findElement(By.id("sign-in-button")).click();
		until(() -> browser.findElement(By.id("sign-in-message")).getText().equals("The username or password is wrong."));

		signIn("grace", PASSWORD);
		until(() -> badge().equals("Failed"));
		assertThat(browser.findElement(By.id("my-error")).getText()).isEqualTo("not a decodable JPEG: truncated data");

		// A token, made on the page, shown once, works for the API, then is revoked there.
		assertThat(browser.findElement(By.id("token-scope-admin")).isEnabled()).as("admin scope is for admins").isFalse();
		browser.findElement(By.id("token-name")).sendKeys("my script");
		browser.findElement(By.id("create-token-button")).click();
		until(() -> browser.findElement(By.id("token-message")).getText().contains("avt_"));
		String token = browser.findElement(By.id("token-message")).getText().replaceAll(".*(avt_\\S+).*", "$1");
		until(() -> browser.findElement(By.id("token-list")).getText().contains("my script (avatar, until"));
		java.net.http.HttpRequest withToken = java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/api/users/" + id + "/avatar"))
			.header("Authorization", "Bearer " + token).build();
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		assertThat(JsonText.string(http.send(withToken, java.net.http.HttpResponse.BodyHandlers.ofString()).body(), "$.status"))
			.isEqualTo("FAILED");
		browser.findElement(By.cssSelector("#token-list button")).click();
		until(() -> browser.findElement(By.id("token-list")).getText().contains("my script (avatar, revoked)"));
		assertThat(http.send(withToken, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
		signOut();
	}

	@Test
	void anOffCentrePortraitUploadedWithoutChoosingBecomesARoundAvatarFramedOnTheFace() throws Exception {
		Assumptions.assumeTrue(dev.avatars.thumbnail.OpenCvForTests.load() == null, "face detection needs OpenCV");
		// A wide photo with the person at the right edge: the centre square would show grass and sky.
		TestFaces.Composed picture = TestFaces.landscape(1800, 1000).with(TestFaces.Portrait.HOPPER, 1380, 280, 420)
			.done();
		java.awt.Rectangle face = picture.faces().get(0);
		Path file = Files.write(scratch.resolve("portrait.jpg"), TestImages.encode(picture.image(), "jpg"));
		long id = createUser("hopper");
		open();
		signIn("hopper", PASSWORD);

		browser.findElement(By.id("file-input")).sendKeys(file.toString());
		until(() -> browser.findElement(By.id("crop-box")).isDisplayed());
		assertThat(browser.findElement(By.id("crop-label")).getText()).isEqualTo("we will look for a face");
		String centre = browser.findElement(By.id("crop-box")).getAttribute("aria-valuetext");
		assertThat(centre).isEqualTo("100% of the picture, 22% from the left, 0% from the top");
		screenshot("page-face-preview.png");
		browser.findElement(By.id("upload-button")).click();
		until(() -> badge().equals("Pending"));
		this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()));

		until(() -> badge().equals("Ready"));
		until(() -> browser.findElement(By.id("my-framing")).getText().equals("Framed on the face we found."));
		// The preview's square has moved to where the server framed the face.
		until(() -> browser.findElement(By.id("crop-label")).getText().equals("Framed on the face we found."));
		assertThat(browser.findElement(By.id("crop-box")).getAttribute("aria-valuetext")).isNotEqualTo(centre);
		until(() -> Long.valueOf(256).equals(script("const i = document.getElementById('my-avatar');"
				+ " return i.complete ? i.naturalWidth : 0;")));
		assertThat(browser.findElement(By.id("my-avatar")).getAttribute("src")).endsWith("&shape=circle");
		// Where the face's centre lies in the square the server kept, and what the avatar shows there.
		String state = JsonText.string(this.mvc.perform(org.springframework.test.web.servlet.request
			.MockMvcRequestBuilders.get("/api/users/{id}/avatar", id).with(as(id))).andReturn().getResponse()
			.getContentAsString(), "$.framing.kind");
		assertThat(state).isEqualTo("FACE");
		@SuppressWarnings("unchecked")
		List<List<Long>> pixels = (List<List<Long>>) script("const i = document.getElementById('my-avatar');"
				+ " const c = document.createElement('canvas'); c.width = 256; c.height = 256;"
				+ " const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
				+ " return [[0, 0], [255, 255], [128, 128]].map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data));");
		assertThat(pixels.get(0).get(3)).as("transparent outside the circle").isZero();
		assertThat(pixels.get(1).get(3)).as("transparent outside the circle").isZero();
		assertThat(pixels.get(2).get(3)).as("opaque inside").isEqualTo(255L);
		@SuppressWarnings("unchecked")
		List<Object> square = (List<Object>) script("return fetch('/api/users/" + id + "/avatar', {credentials: 'same-origin'})"
				+ ".then((r) => r.json()).then((a) => [a.framing.square.x, a.framing.square.y, a.framing.square.size]);");
		double side = ((Number) square.get(2)).doubleValue() * 1000;
		double left = ((Number) square.get(0)).doubleValue() * 1800;
		double top = ((Number) square.get(1)).doubleValue() * 1000;
		assertThat(new java.awt.Rectangle((int) left, (int) top, (int) side, (int) side).contains(face)).isTrue();
		int faceX = (int) ((face.getCenterX() - left) / side * 256);
		int faceY = (int) ((face.getCenterY() - top) / side * 256);
		@SuppressWarnings("unchecked")
		List<Long> shown = (List<Long>) script("const i = document.getElementById('my-avatar');"
				+ " const c = document.createElement('canvas'); c.width = 256; c.height = 256;"
				+ " const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
				+ " return Array.from(g.getImageData(" + faceX + ", " + faceY + ", 1, 1).data);");
		java.awt.Color original = new java.awt.Color(picture.image().getRGB((int) face.getCenterX(), (int) face.getCenterY()));
		assertThat(Math.abs(shown.get(0) - original.getRed()) + Math.abs(shown.get(1) - original.getGreen())
				+ Math.abs(shown.get(2) - original.getBlue())).as("the avatar shows the face where it lies").isLessThan(90);
		screenshot("page-face-ready.png");
		signOut();
	}

	/** The page afresh, signed out. */
	private void open() {
		browser.manage().window().setSize(new Dimension(1280, 1100));
		browser.get("http://localhost:" + this.port + "/");
		browser.manage().deleteAllCookies();
		browser.get("http://localhost:" + this.port + "/");
		until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
	}

	private static void signIn(String username, String password) {
		WebElement name = browser.findElement(By.id("sign-in-username"));
		name.clear();
		name.sendKeys(username);
		WebElement secret = browser.findElement(By.id("sign-in-password"));
		secret.clear();
		secret.sendKeys(password);
		browser.findElement(By.id("sign-in-button")).click();
		until(() -> browser.findElement(By.id("signed-in")).isDisplayed());
	}

	private static void signOut() {
		browser.findElement(By.id("sign-out")).click();
		until(() -> browser.findElement(By.id("sign-in")).isDisplayed() && !browser.findElement(By.id("me")).isDisplayed());
	}

	private static String badge() {
		return browser.findElement(By.id("my-status")).getText();
	}

	private static Object script(String script) {
		return ((JavascriptExecutor) browser).executeScript(script);
	}

	private static void until(java.util.function.BooleanSupplier condition) {
		new WebDriverWait(browser, Duration.ofSeconds(20)).until((driver) -> condition.getAsBoolean());
	}

	private static void screenshot(String name) throws Exception {
		File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	private static Path fixture(String name) throws Exception {
		return Files.write(scratch.resolve(name), TestImages.resource(name));
	}

}
