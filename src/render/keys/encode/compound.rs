//! The compound parts of [`Encoder`](super::Encoder): sequences, tuples,
//! maps and structs, each closed by its own tag.

use serde::ser::{self, Serialize};

use super::{Done, Encoder, Unencodable, MAP_END, SEQ_END, TUPLE_END};

/// The compound encoders whose parts are plain values, each with the tag
/// that closes it.
macro_rules! elements {
    ($($trait:ident :: $method:ident => $end:expr;)*) => {$(
        impl ser::$trait for &mut Encoder<'_, '_> {
            type Ok = ();
            type Error = Unencodable;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }

            fn end(self) -> Done {
                self.out.push($end);
                Ok(())
            }
        }
    )*};
}

elements! {
    SerializeSeq::serialize_element => SEQ_END;
    SerializeTuple::serialize_element => TUPLE_END;
    SerializeTupleStruct::serialize_field => TUPLE_END;
    SerializeTupleVariant::serialize_field => TUPLE_END;
}

/// The compound encoders whose parts are named fields (as in JSON, so a
/// field left out by `skip_serializing_if` is not mistaken for the next).
macro_rules! fields {
    ($($trait:ident;)*) => {$(
        impl ser::$trait for &mut Encoder<'_, '_> {
            type Ok = ();
            type Error = Unencodable;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Done {
                self.field(key);
                value.serialize(&mut **self)
            }

            fn end(self) -> Done {
                self.out.push(MAP_END);
                Ok(())
            }
        }
    )*};
}

fields! {
    SerializeStruct;
    SerializeStructVariant;
}

impl ser::SerializeMap for &mut Encoder<'_, '_> {
    type Ok = ();
    type Error = Unencodable;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }

    fn end(self) -> Done {
        self.out.push(MAP_END);
        Ok(())
    }
}
