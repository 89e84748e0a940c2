package dev.avatars.user;

import java.util.Collection;
import java.util.Map;

/** Where a user's picture is served: the user API shows it, the avatar feature knows it. */
public interface ProfilePictures {

	String thumbnailUrl(long userId);

	/** For every id given; users without a picture get its placeholder's URL. */
	Map<Long, String> thumbnailUrls(Collection<Long> userIds);

}
