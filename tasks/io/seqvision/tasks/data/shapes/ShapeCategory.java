package io.seqvision.tasks.data.shapes;

/** The object categories of the shapes data set, with their fixed COCO category ids. */
public enum ShapeCategory {
    CIRCLE(1, "circle", "circles", "shape"),
    SQUARE(2, "square", "squares", "shape"),
    TRIANGLE(3, "triangle", "triangles", "shape"),
    STAR(4, "star", "stars", "shape"),
    PERSON(5, "person", "people", "person");

    private final int cocoId;
    private final String cocoName;
    private final String plural;
    private final String supercategory;

    ShapeCategory(int cocoId, String cocoName, String plural, String supercategory) {
        this.cocoId = cocoId;
        this.cocoName = cocoName;
        this.plural = plural;
        this.supercategory = supercategory;
    }

    /** @return the COCO {@code category_id} */
    public int cocoId() {
        return cocoId;
    }

    /** @return the COCO category {@code name}, also the singular noun used in captions */
    public String cocoName() {
        return cocoName;
    }

    /** @return the plural noun used in captions */
    public String plural() {
        return plural;
    }

    /** @return the COCO {@code supercategory} */
    public String supercategory() {
        return supercategory;
    }

    /**
     * @param id a COCO category id
     * @return the category with that id
     * @throws IllegalArgumentException if no category has it
     */
    public static ShapeCategory ofCocoId(int id) {
        for (ShapeCategory category : values()) {
            if (category.cocoId == id) {
                return category;
            }
        }
        throw new IllegalArgumentException("no shapes category has id " + id);
    }
}
