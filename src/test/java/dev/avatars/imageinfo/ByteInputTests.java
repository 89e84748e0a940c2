package dev.avatars.imageinfo;

import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteInputTests {

	@Test
	void findsTheFirstFFWhereverItLies() {
		SplittableRandom random = new SplittableRandom(14);
		for (int round = 0; round < 20_000; round++) {
			byte[] bytes = new byte[random.nextInt(40)];
			for (int i = 0; i < bytes.length; i++) {
				// Bytes next to 0xFF (0xFE, 0x00, 0x7F, 0x80) are the ones a word trick could mistake for it.
				int kind = random.nextInt(8);
				bytes[i] = (byte) switch (kind) {
					case 0 -> 0xFF;
					case 1 -> 0xFE;
					case 2 -> 0x00;
					case 3 -> 0x7F;
					case 4 -> 0x80;
					default -> random.nextInt(256);
				};
			}
			int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
			int to = from + random.nextInt(bytes.length - from + 1);
			assertThat(ByteInput.indexOfFF(bytes, from, to)).as("round %d", round).isEqualTo(naive(bytes, from, to));
		}
	}

	@Test
	void skipsToJustPastEachFFAcrossBufferRefills() throws Exception {
		byte[] bytes = new byte[100_000];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (i % 251 == 250 ? 0xFF : i % 200);
		}
		ByteInput input = new ByteInput(new ByteArrayInputStream(bytes));
		int expected = 0;
		while (input.skipPastNextFF()) {
			expected = naive(bytes, expected, bytes.length) + 1;
			assertThat(input.position()).isEqualTo(expected);
		}
		assertThat(naive(bytes, expected, bytes.length)).isEqualTo(-1);
		assertThat(input.position()).isEqualTo(bytes.length);
	}

	private static int naive(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] == (byte) 0xFF) {
				return i;
			}
		}
		return -1;
	}

}
