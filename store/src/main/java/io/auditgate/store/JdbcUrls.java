package io.auditgate.store;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown in logs and exception messages. */
public final class JdbcUrls {
  /**
   * {@code password} and {@code sslpassword} query parameters (the driver reads credentials from
   * the URL too, and lets them win over the connection properties), matched case-insensitively.
   */
  private static final Pattern SECRET =
      Pattern.compile("([?&](?:password|sslpassword)=)[^&#]*", Pattern.CASE_INSENSITIVE);

  private JdbcUrls() {}

  /**
   * {@code url} with the values of its {@code password} and {@code sslpassword} parameters replaced
   * by {@code ***}; everything else as it is.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    return SECRET.matcher(url).replaceAll("$1***");
  }
}
