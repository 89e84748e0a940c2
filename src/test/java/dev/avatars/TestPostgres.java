package dev.avatars;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for tests: one server per test JVM, started from Maven's dependencies (nothing to install),
 * and a fresh database for each test class. Set {@code AVATARS_TEST_POSTGRES_URL} (a JDBC URL of a database the
 * user may create databases from), {@code AVATARS_TEST_POSTGRES_USER} and {@code AVATARS_TEST_POSTGRES_PASSWORD}
 * to use an external server instead.
 */
public final class TestPostgres {

	private static final AtomicInteger databases = new AtomicInteger();

	private static Server server;

	private TestPostgres() {
	}

	public record Database(String url, String user, String password) {
	}

	private record Server(String adminUrl, String user, String password) {

		String urlOf(String database) {
			int slash = this.adminUrl.lastIndexOf('/');
			int query = this.adminUrl.indexOf('?', slash);
			return this.adminUrl.substring(0, slash + 1) + database + ((query >= 0) ? this.adminUrl.substring(query) : "");
		}

	}

	public static synchronized Database freshDatabase() {
		Server server = server();
		String name = "avatars_test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
		try (Connection connection = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create a test database on " + server.adminUrl(), ex);
		}
		return new Database(server.urlOf(name), server.user(), server.password());
	}

	private static Server server() {
		if (server != null) {
			return server;
		}
		String external = System.getenv("AVATARS_TEST_POSTGRES_URL");
		if (external != null && !external.isBlank()) {
			server = new Server(external, System.getenv().getOrDefault("AVATARS_TEST_POSTGRES_USER", "postgres"),
					System.getenv().getOrDefault("AVATARS_TEST_POSTGRES_PASSWORD", ""));
			return server;
		}
		try {
			EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					embedded.close();
				}
				catch (IOException ex) {
					// the JVM is going away anyway
				}
			}));
			server = new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the embedded PostgreSQL", ex);
		}
	}

}
