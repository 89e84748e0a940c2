# syntax=docker/dockerfile:1
# Build with the Maven wrapper, run on a JRE as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app avatars
WORKDIR /app
COPY --from=build /src/target/avatars.jar /app/avatars.jar
RUN mkdir -p /app/uploads /app/data && chown -R avatars /app
USER avatars
# Relative data paths resolve here: /app/uploads, and /app/data for the embedded H2 database.
ENV AVATARS_HOME=/app
VOLUME ["/app/uploads", "/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health >/dev/null || exit 1
# Heap as a share of the container's memory limit, not of the host's.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/avatars.jar"]
