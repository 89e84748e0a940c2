package dev.avatars.avatar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.avatar.AvatarRepository.Claim;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Claiming batches: what one statement takes, and that racing claimers never take a row twice. */
class AvatarQueueTests extends ApiTestSupport {

	private static final Duration LEASE = Duration.ofMinutes(5);

	@Autowired
	AvatarRepository queue;

	@Test
	void claimsAtMostTheLimitOldestFirstAndNothingTwice() throws Exception {
		List<Long> ids = pendingAvatars(5);

		List<Claim> first = this.queue.claimDue(3, "runner-a", LEASE);
		List<Claim> second = this.queue.claimDue(3, "runner-b", LEASE);

		assertThat(first).extracting(Claim::userId).containsExactlyInAnyOrderElementsOf(ids.subList(0, 3));
		assertThat(second).extracting(Claim::userId).containsExactlyInAnyOrderElementsOf(ids.subList(3, 5));
		assertThat(this.queue.claimDue(3, "runner-c", LEASE)).isEmpty();
		assertThat(first).allSatisfy((claimed) -> {
			assertThat(claimed.version()).isEqualTo(1);
			assertThat(claimed.attempts()).as("tries before this claim").isZero();
			assertThat(claimed.originalKey()).endsWith(".jpg");
		});
		assertThat(avatarRow(ids.get(0))).containsEntry("STATUS", "PROCESSING").containsEntry("LEASE_OWNER", "runner-a");
		assertThat(avatarRow(ids.get(4))).containsEntry("STATUS", "PROCESSING").containsEntry("LEASE_OWNER", "runner-b");
	}

	@Test
	void aClaimWhoseLeaseRanOutIsTakenOverAndCountsAsATry() throws Exception {
		long id = pendingAvatars(1).get(0);
		assertThat(this.queue.claimDue(1, "crashed", Duration.ZERO)).hasSize(1);

		List<Claim> takenOver = this.queue.claimDue(1, "successor", LEASE);

		assertThat(takenOver).singleElement().satisfies((claimed) -> {
			assertThat(claimed.userId()).isEqualTo(id);
			assertThat(claimed.attempts()).isEqualTo(1);
		});
		assertThat(avatarRow(id)).containsEntry("LEASE_OWNER", "successor");
	}

	@Test
	void racingClaimersSplitTheBacklogWithoutOverlap() throws Exception {
		List<Long> ids = pendingAvatars(120);
		Set<Long> claimed = ConcurrentHashMap.newKeySet();
		List<Long> duplicates = new ArrayList<>();
		ExecutorService claimers = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<Void>> running = new ArrayList<>();
			for (int c = 0; c < 4; c++) {
				String owner = "claimer-" + c;
				running.add(CompletableFuture.runAsync(() -> {
					List<Claim> batch;
					while (!(batch = this.queue.claimDue(3, owner, LEASE)).isEmpty()) {
						for (Claim candidate : batch) {
							if (!claimed.add(candidate.userId())) {
								synchronized (duplicates) {
									duplicates.add(candidate.userId());
								}
							}
						}
					}
				}, claimers));
			}
			CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
		}
		finally {
			claimers.shutdown();
		}
		assertThat(duplicates).isEmpty();
		assertThat(claimed).containsExactlyInAnyOrderElementsOf(ids);
	}

	private List<Long> pendingAvatars(int count) throws Exception {
		List<Long> ids = createUsers("queued", count);
		byte[] picture = TestImages.jpeg(32, 32);
		for (long id : ids) {
			uploadOk(id, picture);
		}
		return ids;
	}

}
