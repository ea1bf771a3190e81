package io.seqvision.web.insight;

import io.seqvision.web.api.LearningCurves;
import io.seqvision.web.api.StudyTableView;

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

    /**
     * The table of the encoder study the model was trained in.
     *
     * @throws io.seqvision.web.ApiException 404 {@code no_study} when the model belongs to none
     */
    default StudyTableView study() {
        throw io.seqvision.web.ApiException.notFound("no_study", "the model was not trained by an encoder study");
    }
}
