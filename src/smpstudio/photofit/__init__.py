"""The client's own photo: landmarks, scale, pose, scalp and the design drawn on it.

* :mod:`~smpstudio.photofit.facemesh`: the detector (MediaPipe's face models on LiteRT), the
  only module that knows it;
* :mod:`~smpstudio.photofit.landmarks`: named landmarks, from the detector or the practitioner;
* :mod:`~smpstudio.photofit.facemodel`: the face in the head frame and the population priors;
* :mod:`~smpstudio.photofit.fit`: camera, head pose and scale with their uncertainty;
* :mod:`~smpstudio.photofit.mask`: where the scalp is in the photo;
* :mod:`~smpstudio.photofit.lighting`: the photo's body reflection and highlights apart;
* :mod:`~smpstudio.photofit.preview`: photo -> preview, and the refusals;
* :mod:`~smpstudio.photofit.synthetic`: rendered photos with a known camera (validation).
"""
