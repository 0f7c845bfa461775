package dev.sandbar.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * Runs the HTTP API alone, against a Temporal service and a PostgreSQL database that a worker has
 * migrated. The controllers come from {@code ApiAutoConfiguration}, so an application in another
 * package (the standalone launcher) gets the same API by having this module on its classpath;
 * scanning here as well would only register them twice.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(ApiApplication.class, args);
  }
}
