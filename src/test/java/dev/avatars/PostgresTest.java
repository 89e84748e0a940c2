package dev.avatars;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Runs a Spring test class on a real PostgreSQL with the {@code postgres} profile: a fresh database for the
 * class (the context is closed after it, so the next class gets its own).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ActiveProfiles("postgres")
@DirtiesContext
@ContextConfiguration(initializers = PostgresTest.FreshDatabase.class)
@ExtendWith(PostgresTest.IsPostgres.class)
public @interface PostgresTest {

	/** Fails the class if its context is not on PostgreSQL: it would otherwise pass on H2 unnoticed. */
	class IsPostgres implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext extension) throws Exception {
			DataSource dataSource = SpringExtension.getApplicationContext(extension).getBean(DataSource.class);
			try (Connection connection = dataSource.getConnection()) {
				String product = connection.getMetaData().getDatabaseProductName();
				if (!"PostgreSQL".equals(product)) {
					throw new IllegalStateException("Expected PostgreSQL, the context runs on " + product);
				}
			}
		}

	}

	class FreshDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPostgres.Database database = TestPostgres.freshDatabase();
			TestPropertyValues
				.of("spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.user(),
						"spring.datasource.password=" + database.password())
				.applyTo(context);
		}

	}

}
