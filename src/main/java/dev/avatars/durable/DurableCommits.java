package dev.avatars.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Makes committed transactions survive a crash of the machine before the caller acts on them (answers 202,
 * deletes the file a commit replaced). PostgreSQL's commit already is durable ({@code synchronous_commit} on,
 * its default). H2 writes a commit to its file at once ({@code WRITE_DELAY=0} in the URL, so a killed process
 * loses nothing) but never forces it to disk: {@code CHECKPOINT SYNC} does, once for all concurrent callers.
 */
@Component
public class DurableCommits {

	private final GroupSync sync;

	DurableCommits(JdbcClient jdbc, DataSource dataSource) {
		this.sync = isH2(dataSource) ? new GroupSync(() -> jdbc.sql("CHECKPOINT SYNC").update()) : null;
	}

	/** Returns once every transaction this thread has committed is on disk. */
	public void await() {
		if (this.sync == null) {
			return;
		}
		try {
			this.sync.await();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isH2(DataSource dataSource) {
		try {
			return "H2".equals(JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Cannot tell which database this is", ex);
		}
	}

}
