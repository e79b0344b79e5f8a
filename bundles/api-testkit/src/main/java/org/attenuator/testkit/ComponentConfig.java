package org.attenuator.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component's configuration type (the annotation its {@code @Activate} constructor takes) as
 * Declarative Services hands it over: each element from the values given here, else its default.
 * An element with neither is null, or zero / false for a primitive, as DS leaves an absent property.
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /**
     * {@code type} with {@code values} by element name (the Java name: {@code attenuator_target},
     * not the property {@code attenuator.target}).
     *
     * @throws IllegalArgumentException if a key names no element of {@code type}
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> values) {
        for (String name : values.keySet()) {
            try {
                type.getMethod(name);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getName() + " has no element " + name);
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> "@" + type.getName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> valueOf(method, values);
                }));
    }

    private static Object valueOf(Method element, Map<String, ?> values) {
        if (values.containsKey(element.getName())) {
            return values.get(element.getName());
        }
        Object fallback = element.getDefaultValue();
        if (fallback != null || !element.getReturnType().isPrimitive()) {
            return fallback;
        }
        return Array.get(Array.newInstance(element.getReturnType(), 1), 0); // the primitive's zero
    }
}
