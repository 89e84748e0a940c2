package dev.avatars.user;

import dev.avatars.avatar.AvatarStatus;

/** Only for ArchitectureTests: a user class that uses avatar, so the cycle rule can be seen to fail. */
public final class CycleProbe {

	public static final AvatarStatus STATUS = AvatarStatus.NONE;

	private CycleProbe() {
	}

}
