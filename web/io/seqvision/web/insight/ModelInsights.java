package io.seqvision.web.insight;

import io.seqvision.web.api.LearningCurves;

/** What the page's model panels show besides predictions. */
public interface ModelInsights {

    /**
     * The encoder's effective receptive field.
     *
     * @throws io.seqvision.web.ApiException 404 {@code no_erf} when it cannot be computed
     */
    ReceptiveFieldMap receptiveField();

    /**
     * The learning curves of the run that trained the model.
     *
     * @throws io.seqvision.web.ApiException 404 {@code no_metrics} when the run's metrics are not there
     */
    LearningCurves learningCurves();
}
