/** piexifjs ships no types; the few calls the media samples make. Values are binary strings. */
declare module 'piexifjs' {
  const piexif: {
    dump(exif: Record<string, Record<number, unknown>>): string;
    insert(exif: string, jpeg: string): string;
    load(jpeg: string): Record<string, Record<number, unknown>>;
    ImageIFD: Record<'Make' | 'Model' | 'Artist' | 'Software', number>;
    ExifIFD: Record<'DateTimeOriginal', number>;
    GPSIFD: Record<'GPSLatitudeRef' | 'GPSLatitude' | 'GPSLongitudeRef' | 'GPSLongitude', number>;
  };
  export default piexif;
}
