package dev.avatars.thumbnail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Progressive photos with damage in any of their scans: on both paths a thumbnail, or a reason, never an error. */
class ProgressivePhotoTests {

	private static final String[] SCRIPTS = { "dc-interleaved", "dc-per-component", "dc-two-steps",
			"dc-three-steps", "dc-mixed", "dc-two-steps-restart" };

	@TempDir
	Path dir;

	@Test
	void anUndamagedProgressivePhotoIsDecodedAtOneEighthOnTheFastPath() throws Exception {
		Path file = Files.write(this.dir.resolve("p.jpg"), TestImages.resource("progressive/dc-mixed-422.jpg"));
		Photo photo = Photo.read(file, null);
		assertThat(photo).isNotNull();
		// 193 px high: 1/8 leaves 24 px on the crop's side, enough for 16.
		assertThat(photo.reduction(16)).isEqualTo(8);
		assertThat(photo.decoded(16, JpegReducer.of(true))).isNotNull();
	}

	@ParameterizedTest
	@EnumSource(Thumbnailer.Engine.class)
	void damageInsideAnyScanGivesAThumbnailOrAReason(Thumbnailer.Engine engine) throws Exception {
		Thumbnailer thumbnailer = new Thumbnailer(List.of(16), 0.85f, engine, 40_000_000);
		int thumbnails = 0;
		List<String> reasons = new ArrayList<>();
		for (String script : SCRIPTS) {
			byte[] jpeg = TestImages.resource("progressive/" + script + "-420.jpg");
			List<int[]> scans = scans(jpeg);
			for (int s = 0; s < scans.size(); s++) {
				int[] scan = scans.get(s);
				for (int variant = 0; variant < 3; variant++) {
					byte[] damaged = jpeg.clone();
					int length = scan[1] - scan[0];
					damaged[scan[0] + length * variant / 3] ^= (byte) 0x5A;
					damaged[scan[0] + length / 2] = (byte) ((variant == 2) ? 0xFF : 0x00);
					Path file = Files.write(this.dir.resolve(script + "-" + s + "-" + variant + ".jpg"), damaged);
					try {
						assertThat(thumbnailer.render(file, null)).hasSize(1);
						thumbnails++;
					}
					catch (UndecodableImageException ex) {
						assertThat(ex.getMessage()).isNotBlank();
						reasons.add(ex.getMessage());
					}
				}
			}
		}
		assertThat(thumbnails).isPositive();
	}

	/** Each scan's entropy-coded data: from, to (exclusive). */
	private static List<int[]> scans(byte[] jpeg) {
		List<int[]> scans = new ArrayList<>();
		int pos = 2;
		while (pos + 4 <= jpeg.length && (jpeg[pos + 1] & 0xFF) != 0xD9) {
			int next = pos + 2 + (((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF));
			if ((jpeg[pos + 1] & 0xFF) == 0xDA) {
				int end = next;
				while (!(jpeg[end] == (byte) 0xFF && jpeg[end + 1] != 0 && (jpeg[end + 1] & 0xF8) != 0xD0)) {
					end++;
				}
				scans.add(new int[] { next, end });
				next = end;
			}
			pos = next;
		}
		return scans;
	}

}
