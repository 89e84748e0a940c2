-- Which square the ready version's thumbnails kept: CHOSEN (the user's), FACE (framed on the faces found) or
-- CENTRE; the square as fractions, as crop_x/crop_y/crop_size are; the largest face found as fractions of the
-- upright picture's width and height, and how many faces were found. NULL for versions made before.
ALTER TABLE avatars ADD COLUMN framing VARCHAR(8);
ALTER TABLE avatars ADD COLUMN framing_x DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN framing_y DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN framing_size DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN face_x DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN face_y DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN face_width DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN face_height DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN faces INTEGER;
