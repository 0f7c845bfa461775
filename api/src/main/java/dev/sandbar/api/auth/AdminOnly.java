package dev.sandbar.api.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller or handler method that only the admin key may call. While no admin key is
 * configured these endpoints answer 403 to everyone.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {

  /**
   * The endpoint is an operator's view whose existence a tenant has no business knowing of (hosts,
   * stuck operations across tenants): a tenant key is answered 404, as for a path that does not
   * exist, rather than 403.
   */
  boolean hiddenFromTenants() default false;
}
