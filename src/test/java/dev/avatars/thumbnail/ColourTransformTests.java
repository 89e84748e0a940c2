package dev.avatars.thumbnail;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Both forms of the conversion against LittleCMS's own, colour by colour. */
class ColourTransformTests {

	@ParameterizedTest
	@ValueSource(strings = { "Display P3", "Adobe RGB", "Display P3 in 3 APP2 segments" })
	void bothFormsGiveLittleCmsColoursWithinAFewLevels(String name) {
		byte[] profile = ColourManagedPhotoTests.profile(name);
		ColourTransform chosen = ColourTransform.forProfile(profile, 3);
		ColourTransform grid = ColourTransform.gridOnly(profile);
		// Matrix-shaper profiles, as phones and cameras embed: the cheaper additive form is taken.
		assertThat(chosen.isAdditive()).isTrue();
		assertThat(grid.isAdditive()).isFalse();
		int[] colours = new Random(7).ints(20_000, 0, 1 << 24).toArray();
		int[] converted = TestProfiles.toSrgb(profile, colours);
		int worstChosen = 0;
		int worstGrid = 0;
		for (int i = 0; i < colours.length; i++) {
			int rgb = converted[i];
			int[] expected = { (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF };
			worstChosen = Math.max(worstChosen, difference(chosen, colours[i], expected));
			worstGrid = Math.max(worstGrid, difference(grid, colours[i], expected));
		}
		assertThat(worstChosen).as("additive").isLessThanOrEqualTo(2);
		// The grid, for profiles that are not matrix-shaper ones, is coarser where sRGB clips.
		assertThat(worstGrid).as("grid").isLessThanOrEqualTo(3);
	}

	@Test
	void srgbUnderAnyNameNeedsNoConversion() {
		assertThat(ColourTransform.forProfile(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData(), 3))
			.isSameAs(ColourTransform.NONE);
		assertThat(ColourTransform.forProfile(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData(), 3))
			.isNotSameAs(ColourTransform.NONE)
			.isNotNull();
	}

	private static int difference(ColourTransform transform, int rgb, int[] expected) {
		int[] pixel = { rgb };
		transform.apply(pixel);
		int[] got = { (pixel[0] >> 16) & 0xFF, (pixel[0] >> 8) & 0xFF, pixel[0] & 0xFF };
		byte[] bgr = { (byte) rgb, (byte) (rgb >> 8), (byte) (rgb >> 16) };
		transform.apply(bgr, 0, 1, true);
		byte[] rgbOrder = { (byte) (rgb >> 16), (byte) (rgb >> 8), (byte) rgb };
		transform.apply(rgbOrder, 0, 1, false);
		// Every entry point and channel order gives the same pixel.
		assertThat(new int[] { bgr[2] & 0xFF, bgr[1] & 0xFF, bgr[0] & 0xFF }).isEqualTo(got);
		assertThat(new int[] { rgbOrder[0] & 0xFF, rgbOrder[1] & 0xFF, rgbOrder[2] & 0xFF }).isEqualTo(got);
		int worst = 0;
		for (int c = 0; c < 3; c++) {
			worst = Math.max(worst, Math.abs(got[c] - expected[c]));
		}
		return worst;
	}

}
