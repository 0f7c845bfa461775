package dev.sandbar.api.openapi;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Makes the schema of every record the API reads or writes say what the record says: a component
 * marked {@link Nullable} is nullable (a generated client must accept the {@code null} the API
 * sends), and a string component with a fixed set of values (see {@link WireEnums}) is an enum.
 * Springdoc applies every {@link ModelConverter} bean, so new records are covered as they appear.
 */
@Component
class RecordSchemas implements ModelConverter {

  private static final String REF_PREFIX = "#/components/schemas/";

  @Override
  public @Nullable Schema<?> resolve(
      AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    if (!chain.hasNext()) {
      return null;
    }
    Schema<?> schema = chain.next().resolve(type, context, chain);
    Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
    if (schema == null || !raw.isRecord()) {
      return schema;
    }
    Schema<?> model = schema;
    if (schema.get$ref() != null) {
      model = context.getDefinedModels().get(schema.get$ref().replace(REF_PREFIX, ""));
    }
    if (model != null && model.getProperties() != null) {
      describe(raw, model, context);
    }
    return schema;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void describe(Class<?> record, Schema<?> model, ModelConverterContext context) {
    Map<String, Schema> properties = model.getProperties();
    for (RecordComponent component : record.getRecordComponents()) {
      Schema property = properties.get(component.getName());
      if (property == null) {
        continue;
      }
      boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class);
      WireEnums.property(record.getSimpleName(), component.getName())
          .ifPresent(values -> property.setEnum(enumOf(values, nullable)));
      if (nullable) {
        nullable(property, context);
      }
    }
  }

  /** A nullable enum lists null among its values (OpenAPI 3.0.3 made that explicit). */
  private static List<Object> enumOf(List<String> values, boolean nullable) {
    List<Object> all = new ArrayList<>(values);
    if (nullable) {
      all.add(null);
    }
    return all;
  }

  /**
   * OpenAPI 3.0 has no nullable reference: the siblings of a {@code $ref} are ignored, and {@code
   * nullable} beside an {@code allOf} is lost on validators (3.0.3 lets it apply only where a type
   * is given). So the referenced schema itself is nullable; the records it stands for are only ever
   * answered as optional parts.
   */
  @SuppressWarnings("rawtypes")
  private static void nullable(Schema property, ModelConverterContext context) {
    if (property.get$ref() == null) {
      property.setNullable(true);
      return;
    }
    Schema referenced = context.getDefinedModels().get(property.get$ref().replace(REF_PREFIX, ""));
    if (referenced != null) {
      referenced.setNullable(true);
    }
  }
}
