package io.seqvision.web;

import java.util.List;

/** The API's routes; {@code openapi.json} describes exactly these. */
public final class ApiPaths {

    public static final String HEALTH = "/api/health";
    public static final String MODEL = "/api/model";
    public static final String ERF = "/api/model/erf";
    public static final String ERF_PNG = "/api/model/erf.png";
    public static final String METRICS = "/api/model/metrics";
    public static final String STUDY = "/api/model/study";
    public static final String SAMPLES = "/api/samples";
    public static final String SAMPLE = "/api/samples/{name}";
    public static final String PREDICT = "/api/predict";
    public static final String OPENAPI = "/openapi.json";

    /** Every API route (the page's own files aside). */
    public static final List<String> ALL = List.of(HEALTH, MODEL, ERF, ERF_PNG, METRICS, STUDY, SAMPLES, SAMPLE, PREDICT);

    private ApiPaths() {}
}
