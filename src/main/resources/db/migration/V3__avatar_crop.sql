-- The square the user chose, as fractions of the upright picture: corner (crop_x, crop_y) of its width and
-- height, side crop_size of its shorter side. NULL means the centre square.
ALTER TABLE avatars ADD COLUMN crop_x DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN crop_y DOUBLE PRECISION;
ALTER TABLE avatars ADD COLUMN crop_size DOUBLE PRECISION;
