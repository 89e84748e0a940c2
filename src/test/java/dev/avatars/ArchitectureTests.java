package dev.avatars;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The seams between features, as rules the build enforces. */
class ArchitectureTests {

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.avatars");

	/** Each feature package may use others, but never in a circle. */
	static final ArchRule NO_CYCLES = slices().matching("dev.avatars.(*)..").should().beFreeOfCycles();

	/** The image core is plain Java: bytes in, thumbnails out. */
	static final ArchRule PLAIN_IMAGE_CORE = noClasses().that()
		.resideInAnyPackage("dev.avatars.thumbnail..", "dev.avatars.imageinfo..", "dev.avatars.jpeg..",
				"dev.avatars.png..", "dev.avatars.multipart..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "jakarta.servlet..", "dev.avatars.avatar..", "dev.avatars.job..",
				"dev.avatars.user..", "dev.avatars.security..", "dev.avatars.web..");

	/** The engine knows jobs only through its interface; what a job does lives with its feature. */
	static final ArchRule ENGINE_KNOWS_NO_FEATURE = noClasses().that()
		.resideInAPackage("dev.avatars.job..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.avatars.avatar..", "dev.avatars.user..", "dev.avatars.thumbnail..");

	/** Users know nothing of avatars: avatar listens to user events and implements ProfilePictures. */
	static final ArchRule USERS_KNOW_NO_AVATARS = noClasses().that()
		.resideInAPackage("dev.avatars.user..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.avatars.avatar..", "dev.avatars.job..");

	@Test
	void featurePackagesHaveNoCycles() {
		NO_CYCLES.check(MAIN);
	}

	@Test
	void theImageCoreIsPlainJava() {
		PLAIN_IMAGE_CORE.check(MAIN);
	}

	@Test
	void theEngineKnowsNoFeature() {
		ENGINE_KNOWS_NO_FEATURE.check(MAIN);
	}

	@Test
	void usersKnowNoAvatars() {
		USERS_KNOW_NO_AVATARS.check(MAIN);
	}

	@Test
	void theCycleRuleCatchesACycle() {
		// A class in user that uses avatar closes a circle (avatar uses user): the rule must see it.
		// The main classes and the probe: the rest of the tests only made the import slower.
		JavaClasses withCycle = new ClassFileImporter()
			.withImportOption((location) -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
					|| location.contains("dev/avatars/user/CycleProbe.class"))
			.importPackages("dev.avatars");
		assertThat(withCycle.contain(dev.avatars.user.CycleProbe.class)).isTrue();
		assertThatThrownBy(() -> NO_CYCLES.check(withCycle)).isInstanceOf(AssertionError.class)
			.hasMessageContaining("CycleProbe");
		assertThatThrownBy(() -> USERS_KNOW_NO_AVATARS.check(withCycle)).isInstanceOf(AssertionError.class);
	}

}
