package dev.avatars.user;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * On a request record with a {@code password} (and a {@code username}, when it is known): applies
 * {@link PasswordRules} and reports a broken rule as an error of the field {@code password}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidPassword.Validator.class)
public @interface ValidPassword {

	String message() default "is not a valid password";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Whether a missing password is fine (an account change that keeps the password). */
	boolean optional() default false;

	/** A request that carries a password. */
	public interface WithPassword {

		String username();

		String password();

	}

	class Validator implements ConstraintValidator<ValidPassword, WithPassword> {

		private boolean optional;

		@Override
		public void initialize(ValidPassword annotation) {
			this.optional = annotation.optional();
		}

		@Override
		public boolean isValid(WithPassword request, ConstraintValidatorContext context) {
			if (request == null || (this.optional && request.password() == null)) {
				return true;
			}
			return PasswordRules.problem(request.username(), request.password()).map((problem) -> {
				context.disableDefaultConstraintViolation();
				context.buildConstraintViolationWithTemplate(problem).addPropertyNode("password").addConstraintViolation();
				return false;
			}).orElse(true);
		}

	}

}
